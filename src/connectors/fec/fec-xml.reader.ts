import * as sax from 'sax';
import type { FecProblem } from './fec-errors';
import { FecFormatError } from './fec-errors';
import { normaliseHeaderName } from './fec-header';
import type { FecField, FecLine } from './fec-line';
import { FEC_FIELDS } from './fec-line';
import { FecRawFields, parseFecFields } from './fec-line.parser';

const FIELD_BY_NAME = new Map<string, FecField>(FEC_FIELDS.map((f) => [normaliseHeaderName(f), f]));
FIELD_BY_NAME.set('compteauxnum', 'CompAuxNum');
FIELD_BY_NAME.set('compteauxlib', 'CompAuxLib');
FIELD_BY_NAME.set('journallibelle', 'JournalLib');

/**
 * The DGFiP XML layout, streamed with sax (never loaded whole):
 * `comptabilite/exercice/journal/ecriture/ligne`. Journal fields (JournalCode, JournalLib)
 * and entry fields (EcritureNum, dates, PieceRef, EcritureLet, DateLet…) apply to each
 * `ligne`; a field repeated inside `ligne` wins.
 */
export class FecXmlParser {
  private readonly parser: sax.SAXParser;
  private readonly stack: string[] = [];
  private journal: FecRawFields = {};
  private entry: FecRawFields = {};
  private ligne: FecRawFields | null = null;
  private ligneLine = 0;
  private text = '';
  private out: FecLine[] = [];
  private sawRoot = false;

  constructor(
    private readonly opts: { file: string; exponent: number },
    private readonly report: (p: FecProblem) => void,
  ) {
    this.parser = sax.parser(true, { trim: false, normalize: false, position: true });
    // Namespace prefixes (`<fec:ligne>`) are ignored.
    this.parser.onopentag = (node) => this.open(node.name.slice(node.name.indexOf(':') + 1));
    this.parser.onclosetag = (name) => this.close(name.slice(name.indexOf(':') + 1));
    this.parser.ontext = (t) => (this.text += t);
    this.parser.oncdata = (t) => (this.text += t);
    this.parser.onerror = (e) => {
      throw new FecFormatError(this.opts.file, this.parser.line + 1, 'xml', e.message.split('\n')[0]);
    };
  }

  /** Feeds text; returns the lines completed by it. */
  write(chunk: string): FecLine[] {
    this.parser.write(chunk);
    const lines = this.out;
    this.out = [];
    return lines;
  }

  end(): FecLine[] {
    this.parser.close();
    if (!this.sawRoot) throw new FecFormatError(this.opts.file, 1, 'xml', 'not a FEC file: no <comptabilite> root element');
    const lines = this.out;
    this.out = [];
    return lines;
  }

  private open(name: string): void {
    const n = name.toLowerCase();
    if (this.stack.length === 0) {
      if (n !== 'comptabilite') throw new FecFormatError(this.opts.file, this.parser.line + 1, 'xml', `not a FEC file: root element <${name}>, expected <comptabilite>`);
      this.sawRoot = true;
    }
    this.stack.push(n);
    this.text = '';
    if (n === 'journal') this.journal = {};
    else if (n === 'ecriture') this.entry = {};
    else if (n === 'ligne') {
      this.ligne = {};
      this.ligneLine = this.parser.line + 1;
    }
  }

  private close(name: string): void {
    const n = name.toLowerCase();
    this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (n === 'ligne') {
      const raw: FecRawFields = { ...this.journal, ...this.entry, ...this.ligne };
      const amounts = raw.Debit !== undefined || raw.Credit !== undefined ? 'debit-credit' : 'montant-sens';
      const line = parseFecFields(raw, { file: this.opts.file, line: this.ligneLine, exponent: this.opts.exponent, amounts }, this.report);
      if (line) this.out.push(line);
      this.ligne = null;
      return;
    }
    const field = FIELD_BY_NAME.get(normaliseHeaderName(n));
    if (field) {
      const value = this.text.trim();
      if (parent === 'ligne' && this.ligne) this.ligne[field] = value;
      else if (parent === 'ecriture') this.entry[field] = value;
      else if (parent === 'journal') this.journal[field] = value;
    }
    this.text = '';
  }
}
