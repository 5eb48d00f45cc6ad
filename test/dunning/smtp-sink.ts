import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

/** Decodes a quoted-printable UTF-8 part. */
function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

/**
 * A real SMTP server on a free local port that keeps what it receives. Recipients whose
 * address contains "bounce" are rejected with 550 (a hard bounce). With `auth`, clients
 * must log in (PLAIN/LOGIN, without TLS) with that user and password.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer;
  port = 0;

  constructor(opts: { auth?: { user: string; pass: string } } = {}) {
    const auth = opts.auth;
    this.server = new SMTPServer({
      authOptional: !auth,
      allowInsecureAuth: !!auth,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      logger: false,
      onAuth: (a, _session, cb) => {
        if (auth && a.username === auth.user && a.password === auth.pass) return cb(null, { user: a.username });
        cb(new Error('535 5.7.8 authentication failed'));
      },
      onRcptTo: (address, _session, cb) => {
        if (address.address.includes('bounce')) {
          const err = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          return cb(err);
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const [head, ...rest] = raw.split(/\r?\n\r?\n/);
          const headers = head.replace(/\r?\n[ \t]+/g, ' ');
          const subject = decodeHeader(/^Subject: (.*)$/im.exec(headers)?.[1] ?? '');
          const qp = /Content-Transfer-Encoding: quoted-printable/i.test(headers);
          const b64 = /Content-Transfer-Encoding: base64/i.test(headers);
          const body = rest.join('\n\n');
          const text = qp ? decodeQuotedPrintable(body) : b64 ? Buffer.from(body, 'base64').toString('utf8') : body;
          this.received.push({
            from: (session.envelope.mailFrom && session.envelope.mailFrom.address) || '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject,
            text: text.replace(/\r\n/g, '\n').trimEnd(),
            raw,
          });
          cb();
        });
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  clear(): void {
    this.received.length = 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
