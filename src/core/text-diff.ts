// A unified diff for showing a config change before it is written.
import { createTwoFilesPatch } from 'diff';

const CR_MARK = '␍';

/**
 * Empty when the texts are equal. CRLF files are diffed without their `\r` so every line does not look
 * changed; when line endings are the only difference, each `\r` is shown as ␍ instead.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string): string {
  if (oldText === newText) return '';
  const hasCr = oldText.includes('\r') || newText.includes('\r');
  let before = oldText;
  let after = newText;
  let note = '';
  if (hasCr) {
    before = oldText.replace(/\r\n/g, '\n');
    after = newText.replace(/\r\n/g, '\n');
    if (before === after || before.includes('\r') || after.includes('\r')) {
      before = oldText.replace(/\r/g, CR_MARK);
      after = newText.replace(/\r/g, CR_MARK);
      note = `# ${CR_MARK} marks a carriage return (\\r)\n`;
    } else {
      note = '# CRLF line endings are shown as LF; they are kept in the file\n';
    }
  }
  const patch = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context: 3 });
  // Drop jsdiff's "=====" banner: it is not part of the unified format and only adds noise.
  return note + patch.replace(/^=+\n/, '');
}
