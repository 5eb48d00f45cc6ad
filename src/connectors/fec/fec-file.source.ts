import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { parseFec } from './fec-parse';
import type { FecLedger } from './fec-ledger.types';
import type { FecFileInfo } from './fec-reader';
import type { ResolvedFecSettings } from './fec-settings';

export interface ParsedFecFile {
  ledger: FecLedger;
  info: FecFileInfo;
  sha256: string;
  size: number;
}

/**
 * Parses a FEC file from disk in one streaming pass, hashing it on the way (the hash goes
 * into the cursor, so an identical file is recognised later).
 */
export async function parseFecFile(
  file: string,
  settings: ResolvedFecSettings,
  opts: { displayName?: string; onBytes?: (bytes: number) => void } = {},
): Promise<ParsedFecFile> {
  const hash = createHash('sha256');
  let size = 0;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const { ledger, info } = await parseFec(hashed(), {
    file: opts.displayName ?? path.basename(file),
    currency: settings.currency,
    advancesAreCustomer: settings.advancesAreCustomer,
    fiscalYearStart: settings.fiscalYearStart,
    customerTerms: settings.customerTerms,
    onBytes: opts.onBytes,
  });
  return { ledger, info, sha256: hash.digest('hex'), size };
}

/** Run details for a parsed file: what was read and what it held (warnings capped). */
export function fileDetails(name: string, parsed: ParsedFecFile, maxWarnings = 50): Record<string, unknown> {
  const { stats } = parsed.ledger;
  return {
    file: name,
    sha256: parsed.sha256,
    bytes: parsed.size,
    format: parsed.info.format,
    encoding: parsed.info.encoding,
    separator: parsed.info.separator,
    amounts: parsed.info.amounts,
    columns: parsed.info.columns,
    stats: { ...stats, totalDebitMinor: Number(stats.totalDebitMinor), totalCreditMinor: Number(stats.totalCreditMinor) },
    warnings: parsed.ledger.warnings.slice(0, maxWarnings).map((w) => `${w.file}:${w.line}: ${w.field}: ${w.reason}`),
    warningsTotal: parsed.ledger.warnings.length,
  };
}
