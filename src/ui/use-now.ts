// The time now, again every `everyMs` while `ticking`: for what changes with time alone (a time left counting down).
import { useEffect, useState } from 'react';

export function useNow(clock: () => number, ticking: boolean, everyMs = 1000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [ticking, everyMs]);
  return clock();
}
