// Text from outside (a server's answer, a line of a file) on its way to a terminal: control characters other than
// newline and tab are written out as \xNN, so that none can move the cursor, clear the screen, retitle the window or
// set the clipboard (OSC 52).
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
