// The key legend on one row: when the keys do not fit the width, the least important go first (highest `rank`, then
// the later of equals; keys without a rank only when nothing else is left). `?` always stays: its help lists every key.
import type { KeyHint } from './keys.js';

export const LEGEND_SEPARATOR = ' · ';

export function hintText(hint: KeyHint): string {
  return `${hint.keys.join('/')} ${hint.label}`;
}

export function legendWidth(hints: readonly KeyHint[]): number {
  return hints.reduce((sum, hint, i) => sum + Array.from(hintText(hint)).length + (i > 0 ? LEGEND_SEPARATOR.length : 0), 0);
}

/** The hints that fit in `width` columns, in their order; among equal ranks the later one goes first. */
export function fitHints(hints: readonly KeyHint[], width: number): KeyHint[] {
  const kept = [...hints];
  while (legendWidth(kept) > width) {
    let drop = -1;
    kept.forEach((hint, i) => {
      if (hint.keys.includes('?')) return;
      if (drop < 0 || (hint.rank ?? 0) >= (kept[drop]!.rank ?? 0)) drop = i;
    });
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  return kept;
}
