/** Marks the one line of an invoice note that Ledgerbridge owns. */
export const NOTE_MARKER = '[Ledgerbridge] ';

/**
 * The note with our status line replaced (or appended), the user's lines kept, within `max`
 * characters; null when the note already carries that exact line (a retried push is a no-op).
 */
export function noteWithStatusLine(note: string | null | undefined, message: string, max: number): string | null {
  const text = message.replace(/\s+/g, ' ').trim();
  const lines = (note ?? '').split('\n');
  const kept = lines.filter((l) => !l.startsWith(NOTE_MARKER));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  const room = max - kept.join('\n').length - (kept.length ? 1 : 0) - NOTE_MARKER.length;
  const line = NOTE_MARKER + text.slice(0, Math.max(0, room));
  if (lines.includes(line)) return null;
  return [...kept, line].join('\n');
}
