// Subscribes to the controller's bus and hands inputs to the reducer in batches, stamped with their arrival time.
import { useEffect, useRef } from 'react';
import type { WizardBus, WizardInput } from './contract.js';
import type { UiAction } from './wizard-state.js';

/** At most ~20 redraws a second however fast events come (Ink adds its own throttle on top). */
const FLUSH_MS = 50;

export interface Stamped {
  input: WizardInput | UiAction;
  at: number;
}

export function useWizardBus(bus: WizardBus, dispatch: (batch: Stamped[]) => void, clock: () => number): void {
  const clockRef = useRef(clock);
  clockRef.current = clock;
  useEffect(() => {
    let queue: Stamped[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const batch = queue;
      queue = [];
      if (batch.length > 0) dispatch(batch);
    };
    const unsubscribe = bus.subscribe((input) => {
      queue.push({ input, at: clockRef.current() });
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [bus, dispatch]);
}
