import * as iconv from 'iconv-lite';
import { TextDecoder } from 'node:util';

export type FecEncoding = 'utf-8' | 'utf-8-bom' | 'iso-8859-15' | 'ascii';

/**
 * Streaming byte → text decoding with detection: a UTF-8 BOM means UTF-8; otherwise the
 * decision is taken at the first chunk holding a non-ASCII byte — valid UTF-8 there means
 * UTF-8, anything else ISO-8859-15 (the DGFiP norm). Pure ASCII stays ASCII.
 */
export class FecDecoder {
  private mode: 'pending' | 'utf8' | 'latin9' = 'pending';
  private utf8: TextDecoder | null = null;
  private head: Buffer | null = Buffer.alloc(0);
  private bom = false;

  get encoding(): FecEncoding {
    if (this.mode === 'latin9') return 'iso-8859-15';
    if (this.bom) return 'utf-8-bom';
    return this.mode === 'utf8' ? 'utf-8' : 'ascii';
  }

  write(chunk: Buffer): string {
    let buf = chunk;
    if (this.head) {
      // The BOM may straddle the first chunks.
      buf = Buffer.concat([this.head, chunk]);
      if (buf.length < 3 && buf.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.head = buf;
        return '';
      }
      this.head = null;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        this.bom = true;
        this.mode = 'utf8';
        this.utf8 = new TextDecoder('utf-8', { fatal: false });
        buf = buf.subarray(3);
      }
    }
    if (this.mode === 'utf8') return this.utf8!.decode(buf, { stream: true });
    if (this.mode === 'latin9') return iconv.decode(buf, 'iso-8859-15');
    if (!hasNonAscii(buf)) return buf.toString('latin1');
    // All bytes so far were ASCII, so a fresh decoder starts in the right state.
    const probe = new TextDecoder('utf-8', { fatal: true });
    try {
      const text = probe.decode(buf, { stream: true });
      this.mode = 'utf8';
      this.utf8 = probe;
      return text;
    } catch {
      this.mode = 'latin9';
      return iconv.decode(buf, 'iso-8859-15');
    }
  }

  end(): string {
    if (this.head?.length) {
      const rest = this.head;
      this.head = null;
      return this.write(rest) + this.end();
    }
    if (this.mode === 'utf8') {
      try {
        return this.utf8!.decode();
      } catch {
        return '\uFFFD';
      }
    }
    return '';
  }
}

function hasNonAscii(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] > 0x7f) return true;
  return false;
}

/**
 * Splits decoded text into lines on LF, CR LF, CR or CR CR LF, across chunk boundaries.
 * Every line end counts one line (so reported line numbers match an editor's).
 */
export class LineSplitter {
  private pending = '';
  private lineNo = 0;

  get lineCount(): number {
    return this.lineNo;
  }

  /** Calls `onLine(lineNo, text)` for each complete line. */
  push(text: string, onLine: (lineNo: number, line: string) => void): void {
    let s = this.pending + text;
    // A trailing CR may be the start of CR LF or CR CR LF: keep it for the next chunk.
    let keep = 0;
    while (keep < s.length && s.charCodeAt(s.length - 1 - keep) === 13) keep++;
    this.pending = keep ? s.slice(s.length - keep) : '';
    if (keep) s = s.slice(0, s.length - keep);
    const re = /\r*\n|\r/g;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      onLine(++this.lineNo, s.slice(start, m.index));
      start = m.index + m[0].length;
    }
    this.pending = s.slice(start) + this.pending;
  }

  end(onLine: (lineNo: number, line: string) => void): void {
    const rest = this.pending.replace(/\r+$/, '');
    if (this.pending !== '') onLine(++this.lineNo, rest);
    this.pending = '';
  }
}
