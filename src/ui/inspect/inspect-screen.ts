// The screen as it is now: the legend shows the keys that work, and its height is the layout's input.
import { inspectHints } from './inspect-keys.js';
import { inspectLayout, legendRowsFor, type InspectLayout } from './inspect-layout.js';
import type { InspectState } from './inspect-model.js';

export const legendText = (state: InspectState): string => inspectHints(state).map((h) => `${h.keys.join('/')} ${h.label}`).join(' · ');

export const screenLayout = (state: InspectState): InspectLayout => inspectLayout(state, legendRowsFor(legendText(state), state.columns));
