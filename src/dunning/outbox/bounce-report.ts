/**
 * Reads a bounce: a delivery status notification (RFC 3464, `multipart/report;
 * report-type=delivery-status`) as mail servers send it back to the envelope sender, or a
 * plain-text non-delivery report from a server that does not follow the RFC.
 *
 * It answers which of our messages it is about (their Message-ID `<id@ledgerbridge>` in the
 * returned headers or anywhere in the text, or the VERP return path `…+<id>@…` the bounce
 * was addressed to) and, per recipient, the action and status the server reported.
 */

export interface BounceRecipient {
  recipient: string | null;
  /** RFC 3464 Action: failed, delayed, delivered, relayed, expanded (lower case). */
  action: string | null;
  /** Enhanced status code (RFC 3463), e.g. 5.1.1. */
  status: string | null;
  diagnostic: string | null;
}

export interface BounceReport {
  /** Ids of our messages the bounce names (from Message-IDs and VERP addresses), de-duplicated. */
  messageIds: string[];
  recipients: BounceRecipient[];
  /** True when the report is a standard DSN (it has a message/delivery-status part). */
  standard: boolean;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The Message-ID the delivery service gives each e-mail. */
export const messageIdOf = (id: string): string => `<${id}@ledgerbridge>`;
const OUR_MESSAGE_ID = new RegExp(`<(${UUID})@ledgerbridge>`, 'gi');
const VERP_ID = new RegExp(`\\+(${UUID})@`, 'gi');
/** Headers of the bounce itself that carry the address it was delivered to. */
const DELIVERY_HEADERS = ['to', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to'];

/** The VERP return path of message `id` for bounce address `local@domain`: `local+id@domain`. */
export function verpAddress(bounceAddress: string, id: string): string {
  const at = bounceAddress.lastIndexOf('@');
  return `${bounceAddress.slice(0, at)}+${id}${bounceAddress.slice(at)}`;
}

interface Entity {
  headers: Map<string, string[]>;
  body: string;
}

function header(e: Entity, name: string): string | undefined {
  return e.headers.get(name)?.[0];
}

/** Splits an entity into unfolded headers and body (line ends already normalised to \n). */
function parseEntity(text: string): Entity {
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { headers, body };
}

/** `type/subtype` and its parameters, from a Content-Type value. */
function contentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const [type, ...rest] = (value ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(e: Entity): string {
  const cte = (header(e, 'content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(e.body.replace(/\s+/g, ''), 'base64').toString('utf8').replace(/\r\n?/g, '\n');
  if (cte === 'quoted-printable') {
    return Buffer.from(e.body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return e.body;
}

/** The leaves of a MIME tree, with their content types. */
function leaves(e: Entity, depth = 0): Array<{ type: string; entity: Entity }> {
  const ct = contentType(header(e, 'content-type'));
  const boundary = ct.params.get('boundary');
  if (ct.type.startsWith('multipart/') && boundary && depth < 5) {
    const parts = e.body.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*$`, 'm'));
    // parts[0] is the preamble; the part after the closing delimiter is the epilogue.
    return parts.slice(1, -1).flatMap((p) => leaves(parseEntity(p.replace(/^\n/, '')), depth + 1));
  }
  return [{ type: ct.type, entity: e }];
}

/** RFC 3464 fields: groups separated by blank lines; the first is per message, the rest per recipient. */
function deliveryStatus(text: string): BounceRecipient[] {
  const groups = text.replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/).map((g) => parseEntity(`${g.trim()}\n\n`));
  return groups
    .filter((g) => g.headers.has('final-recipient') || g.headers.has('original-recipient') || g.headers.has('action'))
    .map((g) => ({
      recipient: address(header(g, 'final-recipient') ?? header(g, 'original-recipient')),
      action: header(g, 'action')?.toLowerCase() ?? null,
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(header(g, 'status') ?? '')?.[0] ?? null,
      diagnostic: header(g, 'diagnostic-code')?.replace(/^smtp;\s*/i, '') ?? null,
    }));
}

/** `rfc822; ap@example.com` → `ap@example.com`. */
function address(v: string | undefined): string | null {
  if (!v) return null;
  return v.replace(/^[a-z0-9-]+;\s*/i, '').replace(/^<(.*)>$/, '$1').trim() || null;
}

/** A non-standard report: the first line with an SMTP reply or enhanced status code. */
function plainTextFailure(text: string): BounceRecipient[] {
  const line = text.split('\n').find((l) => /\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b|\b[45]\.\d{1,3}\.\d{1,3}\b/.test(l));
  if (!line) return [];
  const status = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(line)![1];
  return [{
    recipient: /[\w.+-]+@[\w.-]+\.[a-z]{2,}/i.exec(line)?.[0] ?? null,
    action: status.startsWith('5') ? 'failed' : 'delayed',
    status,
    diagnostic: line.trim(),
  }];
}

export function parseBounce(raw: string): BounceReport {
  const text = raw.replace(/\r\n?/g, '\n');
  const root = parseEntity(text);
  const parts = leaves(root);
  const ids = new Set<string>();
  const recipients: BounceRecipient[] = [];
  let standard = false;
  for (const { type, entity } of parts) {
    const body = decodeBody(entity);
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      standard = true;
      recipients.push(...deliveryStatus(body));
    }
    for (const m of body.matchAll(OUR_MESSAGE_ID)) ids.add(m[1].toLowerCase());
  }
  for (const name of [...DELIVERY_HEADERS, 'in-reply-to', 'references']) {
    for (const v of root.headers.get(name) ?? []) {
      for (const m of v.matchAll(VERP_ID)) ids.add(m[1].toLowerCase());
      for (const m of v.matchAll(OUR_MESSAGE_ID)) ids.add(m[1].toLowerCase());
    }
  }
  if (!standard) {
    for (const { type, entity } of parts) if (type === 'text/plain') recipients.push(...plainTextFailure(decodeBody(entity)));
  }
  return { messageIds: [...ids], recipients, standard };
}

/** A permanent failure: Action failed, or a 5.x.x status without an action. */
export function isPermanentFailure(r: BounceRecipient): boolean {
  if (r.action) return r.action === 'failed';
  return r.status?.startsWith('5') ?? false;
}
