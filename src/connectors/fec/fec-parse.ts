import { currencyExponent } from '../../common/money';
import { ProblemList } from './fec-errors';
import { FecLedgerBuilder } from './fec-ledger.builder';
import type { FecLedger, FecLedgerOptions } from './fec-ledger.types';
import { FecFileInfo, FecReader } from './fec-reader';

export interface ParseFecOptions extends FecLedgerOptions {
  /** Problems listed before giving up on the file (default 100). */
  maxProblems?: number;
  onBytes?: (bytes: number) => void;
}

/**
 * Reads a whole FEC (text or XML, any supported encoding and layout) into a receivables
 * ledger. Throws FecValidationError listing every problem (up to the limit) when the file
 * is not a valid FEC; warnings come back with the ledger.
 */
export async function parseFec(source: AsyncIterable<Buffer | string>, opts: ParseFecOptions): Promise<{ ledger: FecLedger; info: FecFileInfo }> {
  const problems = new ProblemList(opts.maxProblems ?? 100);
  const reader = new FecReader({ file: opts.file, exponent: currencyExponent(opts.currency), problems, onBytes: opts.onBytes });
  const builder = new FecLedgerBuilder(opts);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  for await (const _ of reader.pump(source, (l) => builder.add(l)));
  const ledger = builder.finish(problems);
  problems.throwIfAny();
  return { ledger, info: reader.info };
}
