import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { FecBalancesService } from '../../src/connectors/fec/fec-balances.service';
import type { TestApp } from '../helpers/app';

export const SAMPLES = path.resolve(__dirname, '../../../shared/fec-samples');
export const FIXTURES = path.resolve(__dirname, '../fixtures/fec');

/** `{customerRef: outstandingMinor}` of a connection, as numbers. */
export async function balancesOf(t: TestApp, tenantId: string, connectionId: string): Promise<Record<string, number>> {
  const rows = await t.app.get(FecBalancesService).byConnection(tenantId, connectionId);
  return Object.fromEntries(rows.map((r) => [r.customerRef, Number(r.outstandingMinor)]));
}

export function expectedBalances(file: string): Record<string, number> {
  return JSON.parse(readFileSync(`${file}.balances.json`, 'utf8'));
}

export function expectedSampleBalances(name: string): Record<string, number> {
  return JSON.parse(readFileSync(path.join(SAMPLES, 'expected', `${name}.balances.json`), 'utf8'));
}
