import { FecDecoder, FecEncoding, LineSplitter } from './fec-decoder';
import type { ProblemList } from './fec-errors';
import type { FecLine } from './fec-line';
import { FecTextLineParser } from './fec-text.reader';
import { FecXmlParser } from './fec-xml.reader';

export interface FecFileInfo {
  format: 'text' | 'xml' | null;
  encoding: FecEncoding;
  /** `tab`, `pipe` or `semicolon` for text files. */
  separator: string | null;
  amounts: 'debit-credit' | 'montant-sens' | null;
  columns: number | null;
  /** Physical lines (text) or `<ligne>` elements (XML) read. */
  lines: number;
  bytes: number;
}

const SEPARATOR_NAMES: Record<string, string> = { '\t': 'tab', '|': 'pipe', ';': 'semicolon' };

/**
 * Reads a FEC from a byte stream, detecting text or XML and the encoding, and yields
 * validated lines in chunks. Line problems go to `problems` (reading goes on, to list them
 * all); a file that is not a FEC at all throws FecFormatError.
 */
export class FecReader {
  readonly info: FecFileInfo = { format: null, encoding: 'ascii', separator: null, amounts: null, columns: null, lines: 0, bytes: 0 };

  constructor(private readonly opts: { file: string; exponent: number; problems: ProblemList; onBytes?: (bytes: number) => void }) {}

  /** Yields the validated lines chunk by chunk (tests, small files). */
  async *read(source: AsyncIterable<Buffer | string>): AsyncGenerator<FecLine[]> {
    let out: FecLine[] = [];
    const it = this.pump(source, (l) => out.push(l))[Symbol.asyncIterator]();
    for (;;) {
      const r = await it.next();
      if (out.length) {
        yield out;
        out = [];
      }
      if (r.done) return;
    }
  }

  /**
   * Hands each validated line to `sink` as soon as it is parsed, so that line objects die
   * young (large files stay within a small heap). Yields once per input chunk.
   */
  async *pump(source: AsyncIterable<Buffer | string>, sink: (line: FecLine) => void): AsyncGenerator<void> {
    const decoder = new FecDecoder();
    const report = this.opts.problems.add.bind(this.opts.problems);
    let text: FecTextLineParser | null = null;
    let xml: FecXmlParser | null = null;
    let head = '';
    const splitter = new LineSplitter();
    const onLine = (lineNo: number, line: string) => {
      const parsed = text!.parse(lineNo, line);
      if (parsed) sink(parsed);
    };
    const feed = (s: string): void => {
      if (!text && !xml) {
        head += s;
        const start = head.replace(/^[\uFEFF\s]+/, '');
        if (start === '') return;
        if (start.startsWith('<')) {
          this.info.format = 'xml';
          xml = new FecXmlParser(this.opts, report);
        } else {
          this.info.format = 'text';
          text = new FecTextLineParser(this.opts, report);
        }
        s = head;
        head = '';
      }
      if (xml) {
        const lines = xml.write(s);
        this.info.lines += lines.length;
        for (const l of lines) sink(l);
        return;
      }
      splitter.push(s, onLine);
    };

    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.info.bytes += buf.length;
      feed(decoder.write(buf));
      this.opts.onBytes?.(this.info.bytes);
      yield;
    }
    feed(decoder.end());
    this.info.encoding = decoder.encoding;
    if (xml) {
      const rest = (xml as FecXmlParser).end();
      this.info.lines += rest.length;
      for (const l of rest) sink(l);
      return;
    }
    if (!text) text = new FecTextLineParser(this.opts, report);
    splitter.end(onLine);
    (text as FecTextLineParser).finish();
    const layout = (text as FecTextLineParser).layout!;
    this.info.separator = SEPARATOR_NAMES[layout.separator] ?? layout.separator;
    this.info.amounts = layout.amounts;
    this.info.columns = layout.columnCount;
    this.info.lines = splitter.lineCount;
  }
}
