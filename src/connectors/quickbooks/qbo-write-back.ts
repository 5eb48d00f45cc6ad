import type { StatusUpdate } from '../connector';
import { noteWithStatusLine } from '../status-note';

export { NOTE_MARKER } from '../status-note';
/** Documented maximum lengths. */
const PRIVATE_NOTE_MAX = 4000;
const CUSTOM_FIELD_MAX = 31;

/**
 * The fields of a sparse invoice update that record `update` — the `PrivateNote` with our
 * marker line replaced (the rest of the note kept), or the configured string custom field —
 * or null when the invoice already shows it (a retried push changes nothing).
 */
export function qboWriteBackFields(
  invoice: Record<string, unknown>,
  update: Pick<StatusUpdate, 'message'>,
  customFieldId?: string,
): Record<string, unknown> | null {
  const message = update.message.replace(/\s+/g, ' ').trim();
  if (customFieldId) {
    const value = message.slice(0, CUSTOM_FIELD_MAX);
    const fields = Array.isArray(invoice.CustomField) ? (invoice.CustomField as Array<Record<string, unknown>>) : [];
    const current = fields.find((f) => String(f.DefinitionId) === customFieldId);
    if (current?.StringValue === value) return null;
    const others = fields.filter((f) => String(f.DefinitionId) !== customFieldId);
    return { CustomField: [...others, { DefinitionId: customFieldId, Type: 'StringType', StringValue: value }] };
  }
  const note = noteWithStatusLine(typeof invoice.PrivateNote === 'string' ? invoice.PrivateNote : '', message, PRIVATE_NOTE_MAX);
  return note === null ? null : { PrivateNote: note };
}
