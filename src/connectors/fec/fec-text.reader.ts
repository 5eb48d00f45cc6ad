import type { FecProblem } from './fec-errors';
import { FecFormatError } from './fec-errors';
import { FecLayout, normaliseHeaderName, parseFecHeader } from './fec-header';
import type { FecLine } from './fec-line';
import { FecFastLineParser } from './fec-line.fast';
import { fieldsFromParts, parseFecFields, splitFecLine } from './fec-line.parser';

/**
 * Turns the physical lines of a text FEC (tab or pipe separated) into validated FecLines:
 * the first non-empty line is the header; blank lines are skipped.
 */
export class FecTextLineParser {
  layout: FecLayout | null = null;
  private fast: FecFastLineParser | null = null;

  constructor(
    private readonly opts: { file: string; exponent: number },
    private readonly report: (p: FecProblem) => void,
  ) {}

  /** Returns the parsed line, or null for the header, blank lines and invalid lines. */
  parse(lineNo: number, text: string): FecLine | null {
    if (this.layout === null) {
      if (text.replace(/^\uFEFF/, '').trim() === '') return null;
      this.layout = parseFecHeader(text, this.opts.file, lineNo);
      this.fast = new FecFastLineParser(this.layout, this.opts.exponent);
      return null;
    }
    if (isBlank(text, this.layout.separator)) return null;
    // Concatenated exports repeat the header line: skip it.
    if (text.startsWith(this.layout.names[0]) && normaliseHeaderName(text.split(this.layout.separator)[0]) === 'journalcode') return null;
    const parts = splitFecLine(text, this.layout);
    if (!Array.isArray(parts)) {
      this.report({ file: this.opts.file, line: lineNo, field: 'line', reason: parts.reason });
      return null;
    }
    const quick = this.fast!.parse(parts, lineNo);
    if (quick) return quick;
    return parseFecFields(
      fieldsFromParts(parts, this.layout),
      { file: this.opts.file, line: lineNo, exponent: this.opts.exponent, amounts: this.layout.amounts },
      this.report,
    );
  }

  finish(): void {
    if (this.layout === null) throw new FecFormatError(this.opts.file, 1, 'header', 'not a FEC file: the file is empty');
  }
}

function isBlank(text: string, separator: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== separator && c !== ' ' && c !== '\t' && c !== '\u001a') return false;
  }
  return true;
}
