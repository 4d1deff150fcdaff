// One styled line on one row: tones become colours here and nowhere else; what does not fit ends in "…".
import { Text } from 'ink';
import { clipLine, TONE_STYLE, type StyledLine } from './styled.js';

export function StyledText({ line, width, selected = false }: { line: StyledLine; width: number; selected?: boolean }) {
  const clipped = clipLine(line, width);
  if (!clipped.length) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {clipped.map((segment, i) => (
        <Text key={i} {...(segment.tone ? TONE_STYLE[segment.tone] : {})}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}

/** Lines from `top`, `rows` of them. */
export function StyledLines({ lines, top, rows, width }: { lines: StyledLine[]; top: number; rows: number; width: number }) {
  const start = Math.max(0, Math.min(top, Math.max(0, lines.length - rows)));
  return (
    <>
      {lines.slice(start, start + rows).map((line, i) => (
        <StyledText key={start + i} line={line} width={width} />
      ))}
    </>
  );
}
