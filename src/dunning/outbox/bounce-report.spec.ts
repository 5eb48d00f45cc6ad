import { isPermanentFailure, parseBounce, verpAddress } from './bounce-report';

const ID = '3f2b6c1e-8a4d-4c1b-9e2f-0a1b2c3d4e5f';
const OTHER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** A Postfix-style DSN, CR LF line ends, returned headers only. */
const POSTFIX = [
  'Return-Path: <>',
  'From: MAILER-DAEMON@mx.dupont.test (Mail Delivery System)',
  'To: bounces+' + ID + '@acme.test',
  'Subject: Undelivered Mail Returned to Sender',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary="B1.1700000000/mx.dupont.test"',
  '',
  'This is a MIME-encapsulated message.',
  '',
  '--B1.1700000000/mx.dupont.test',
  'Content-Description: Notification',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'I\'m sorry to have to inform you that your message could not',
  'be delivered to one or more recipients.',
  '',
  '--B1.1700000000/mx.dupont.test',
  'Content-Description: Delivery report',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.dupont.test',
  'Arrival-Date: Thu,  5 Feb 2026 10:00:01 +0100 (CET)',
  '',
  'Final-Recipient: rfc822; ap@dupont.test',
  'Original-Recipient: rfc822;ap@dupont.test',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mail.dupont.test',
  'Diagnostic-Code: smtp; 550 5.1.1 <ap@dupont.test>: Recipient address rejected:',
  '    User unknown in local recipient table',
  '',
  '--B1.1700000000/mx.dupont.test',
  'Content-Description: Undelivered Message Headers',
  'Content-Type: text/rfc822-headers',
  '',
  'From: Acme AR <ar@acme.test>',
  'To: ap@dupont.test',
  'Subject: Relance',
  `Message-ID: <${ID}@ledgerbridge>`,
  '',
  '--B1.1700000000/mx.dupont.test--',
  '',
].join('\r\n');

describe('parseBounce', () => {
  it('reads a standard DSN: our message id (returned headers and VERP), the recipient, action, status and folded diagnostic', () => {
    const r = parseBounce(POSTFIX);
    expect(r.standard).toBe(true);
    expect(r.messageIds).toEqual([ID]);
    expect(r.recipients).toEqual([{
      recipient: 'ap@dupont.test',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <ap@dupont.test>: Recipient address rejected: User unknown in local recipient table',
    }]);
    expect(isPermanentFailure(r.recipients[0])).toBe(true);
  });

  it('finds the message by its VERP return path alone, and by the Message-ID of a whole returned message', () => {
    const verpOnly = POSTFIX.replace(`Message-ID: <${ID}@ledgerbridge>`, 'Message-ID: <x@elsewhere>');
    expect(parseBounce(verpOnly).messageIds).toEqual([ID]);

    const whole = POSTFIX.replace(`To: bounces+${ID}@acme.test`, 'To: bounces@acme.test')
      .replace('Content-Type: text/rfc822-headers', 'Content-Type: message/rfc822')
      .replace(`Message-ID: <${ID}@ledgerbridge>`, `Message-ID: <${OTHER}@ledgerbridge>\r\n\r\nMadame, Monsieur,`);
    expect(parseBounce(whole).messageIds).toEqual([OTHER]);
  });

  it('tells a delay from a failure', () => {
    const delayed = parseBounce(POSTFIX.replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.1'));
    expect(delayed.recipients[0]).toMatchObject({ action: 'delayed', status: '4.4.1' });
    expect(isPermanentFailure(delayed.recipients[0])).toBe(false);
    expect(isPermanentFailure({ recipient: null, action: null, status: '5.2.2', diagnostic: null })).toBe(true);
    expect(isPermanentFailure({ recipient: null, action: null, status: '4.2.2', diagnostic: null })).toBe(false);
  });

  it('decodes a base64 delivery-status part', () => {
    const fields = 'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; x@y.test\nAction: failed\nStatus: 5.2.1\nDiagnostic-Code: smtp; 550 5.2.1 mailbox disabled\n';
    const b64 = POSTFIX.replace(/Content-Type: message\/delivery-status\r\n\r\n[\s\S]*?(?=\r\n--B1)/,
      `Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(fields).toString('base64')}\r\n`);
    expect(parseBounce(b64).recipients).toEqual([{ recipient: 'x@y.test', action: 'failed', status: '5.2.1', diagnostic: '550 5.2.1 mailbox disabled' }]);
  });

  it('reads a non-standard plain-text report (an SMTP reply line) and the quoted Message-ID', () => {
    const plain = [
      'From: postmaster@old-mx.test',
      'To: ar@acme.test',
      'Subject: Mail delivery failed',
      '',
      'A message that you sent could not be delivered to one or more of its recipients.',
      '  ap@dupont.test',
      '    host mail.dupont.test said: 550-5.7.1 ap@dupont.test mailbox closed',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      `Message-Id: <${ID.toUpperCase()}@ledgerbridge>`,
      '',
    ].join('\n');
    const r = parseBounce(plain);
    expect(r.standard).toBe(false);
    expect(r.messageIds).toEqual([ID]);
    expect(r.recipients).toEqual([{ recipient: 'ap@dupont.test', action: 'failed', status: '5.7.1', diagnostic: 'host mail.dupont.test said: 550-5.7.1 ap@dupont.test mailbox closed' }]);
  });

  it('finds nothing in a message that is not a bounce', () => {
    expect(parseBounce('From: a@b.test\nSubject: hello\n\nThanks for the reminder, we will pay on Friday.\n')).toEqual({ messageIds: [], recipients: [], standard: false });
  });
});

describe('verpAddress', () => {
  it('puts the message id after a plus in the local part', () => {
    expect(verpAddress('bounces@acme.test', ID)).toBe(`bounces+${ID}@acme.test`);
  });
});
