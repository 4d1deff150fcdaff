// The terminal's size, followed on resize; fixed sizes (tests, embedding) win over the terminal's.
import { useStdout } from 'ink';
import { useEffect } from 'react';

export function useTerminalSize(onResize: (columns: number, rows: number) => void, columns?: number, rows?: number): void {
  const { stdout } = useStdout();
  useEffect(() => {
    const measure = () => onResize(columns ?? stdout.columns ?? 80, rows ?? stdout.rows ?? 24);
    measure();
    stdout.on('resize', measure);
    return () => {
      stdout.off('resize', measure);
    };
  }, [stdout, onResize, columns, rows]);
}
