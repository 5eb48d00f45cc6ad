import { readFileSync } from 'node:fs';
import { configFile } from '../config-file';

export type Jurisdiction = 'FR' | 'DE' | 'UK';
export const JURISDICTIONS: readonly Jurisdiction[] = ['FR', 'DE', 'UK'];

export interface ReferenceRate {
  /** YYYY-MM-DD, inclusive; applies until the next entry. */
  effectiveFrom: string;
  /** Reference rate in basis points (1 bp = 0.01 %). */
  rateBp: number;
  note?: string;
}

export interface IndemnityBand {
  currency: string;
  /** Lower bound (inclusive) of the amount owed, in minor units. */
  fromMinor: number;
  amountMinor: number;
}

export interface JurisdictionTable {
  name: string;
  rule: string;
  source: string;
  /** Points added to the reference rate, in basis points. */
  marginBp: number;
  indemnity: IndemnityBand[];
  referenceRates: ReferenceRate[];
  /** Legal interest rate per period (France: floor of a contractual rate = 3 × this). */
  legalInterestRates: ReferenceRate[];
}

export type PenaltyRateTables = Record<Jurisdiction, JurisdictionTable>;

/** Loads `config/penalty-rates.json` (or another file with the same shape). */
export function loadPenaltyRates(file = configFile('penalty-rates.json')): PenaltyRateTables {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const tables = {} as PenaltyRateTables;
  for (const j of JURISDICTIONS) {
    const t = raw[j] as JurisdictionTable | undefined;
    if (!t) throw new Error(`${file}: no table for ${j}`);
    const dates = t.referenceRates.map((r) => r.effectiveFrom);
    if ([...dates].sort().join() !== dates.join()) throw new Error(`${file}: ${j} reference rates are not in date order`);
    tables[j] = { ...t, legalInterestRates: t.legalInterestRates ?? [] };
  }
  return tables;
}
