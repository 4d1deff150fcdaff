// Single-line rows clipped to a budget: the last row that fits says how many were left out.
import { Text } from 'ink';
import type { ReactElement, ReactNode } from 'react';

export function Rows({ rows, max, more = (n) => `+${n} more` }: { rows: ReactElement[]; max: number; more?: (hidden: number) => string }) {
  if (rows.length <= max) return <>{rows}</>;
  const shown = rows.slice(0, Math.max(0, max - 1));
  return (
    <>
      {shown}
      {max > 0 && <Text dimColor>{more(rows.length - shown.length)}</Text>}
    </>
  );
}

/** A line that never wraps: what does not fit the width ends in "…". */
export function Line(props: { children?: ReactNode; color?: string; dimColor?: boolean; bold?: boolean }) {
  return <Text wrap="truncate-end" {...props} />;
}
