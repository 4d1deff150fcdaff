// What the wizard does with long content, from its state alone: the unread part of a diff, the footer, resets.
import { expect, it } from 'vitest';
import type { WizardInput } from '../../src/ui/contract.js';
import { availableKeys } from '../../src/ui/keys.js';
import { scrollContent, scrollFooter, unreadDiffRows } from '../../src/ui/scroll-content.js';
import { initialWizardState, reduceWizard, type UiAction, type WizardState } from '../../src/ui/wizard-state.js';

const diff = ['--- a', '+++ b', '@@ -1,40 +1,40 @@', ...Array.from({ length: 40 }, (_, i) => ` line ${i}`)].join('\n');
const question: WizardInput = { type: 'prompt', prompt: { kind: 'confirm', id: 'step--yes', question: 'Write?', detail: diff } };
const run = (inputs: Array<WizardInput | UiAction>, start = initialWizardState(80, 24)): WizardState => inputs.reduce<WizardState>((s, i) => reduceWizard(s, i, 0), start);

function scrolled(state: WizardState, moves: number): WizardState {
  for (let i = 0; i < moves; i++) {
    const content = scrollContent(state)!;
    state = reduceWizard(state, { type: 'scroll', move: 'pageDown', total: content.rows.length, rows: content.viewRows }, 0);
  }
  return state;
}

it('counts the rows of the diff not yet on screen, and says so in the footer', () => {
  const state = run([{ type: 'phase', phase: 'config' }, question]);
  const content = scrollContent(state)!;
  expect(content.overflows).toBe(true);
  expect(unreadDiffRows(state)).toBe(43 - content.viewRows);
  expect(scrollFooter(state, content).text).toBe(`lines 1-${content.viewRows} of 43 · ↓ to read the remaining ${43 - content.viewRows} lines before answering`);
  const read = scrolled(state, 5);
  expect(unreadDiffRows(read)).toBe(0);
  expect(scrollFooter(read, content).text).toMatch(/^lines \d+-43 of 43 · ↑\/↓ scroll$/);
});

it('a new phase starts at the top with nothing seen; so does another width, but not another height', () => {
  const read = scrolled(run([{ type: 'phase', phase: 'config' }, question]), 5);
  expect(read.scroll.top).toBeGreaterThan(0);
  expect(run([{ type: 'resize', columns: 80, rows: 30 }], read).scroll).toEqual(read.scroll);
  expect(run([{ type: 'resize', columns: 100, rows: 24 }], read).scroll.top).toBe(0);
  expect(unreadDiffRows(run([{ type: 'resize', columns: 100, rows: 24 }], read))).toBeGreaterThan(0);
  expect(run([{ type: 'phase', phase: 'done' }], read).scroll.top).toBe(0);
});

it('no scroll keys where everything fits, nor while a text answer is typed', () => {
  const short: WizardInput = { type: 'prompt', prompt: { kind: 'confirm', id: 'step--yes', question: 'Write?', detail: '--- a\n+++ b\n+x' } };
  expect(availableKeys(run([{ type: 'phase', phase: 'config' }, short])).map((h) => h.label)).not.toContain('scroll');
  const typing = run([{ type: 'phase', phase: 'config' }, question, { type: 'prompt', prompt: { kind: 'text', id: 't', question: 'Name?' } }]);
  expect(availableKeys(typing).map((h) => h.label)).not.toContain('scroll');
  expect(availableKeys(run([{ type: 'phase', phase: 'config' }, question])).map((h) => h.label)).toContain('scroll');
});
