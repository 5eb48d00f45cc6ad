import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors';
import { CUSTOMER_BALANCES_SQL } from './fec-balances.query';

export interface CustomerBalance {
  customerRef: string;
  name: string;
  currency: string;
  outstandingMinor: bigint;
}

/** Per-customer outstanding of a connection (the FEC's per-customer balance after an import). */
@Injectable()
export class FecBalancesService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async byConnectionName(tenantId: string, name: string): Promise<CustomerBalance[]> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM connections WHERE tenant_id = $1 AND name = $2`, [tenantId, name]);
    if (!rows.length) throw new NotFoundError(`connection "${name}"`);
    return this.byConnection(tenantId, rows[0].id);
  }

  async byConnection(tenantId: string, connectionId: string): Promise<CustomerBalance[]> {
    const rows: { customer_ref: string; name: string; currency: string; outstanding_minor: string }[] = await this.ds.query(CUSTOMER_BALANCES_SQL, [
      tenantId,
      connectionId,
    ]);
    return rows.map((r) => ({ customerRef: r.customer_ref, name: r.name, currency: r.currency, outstandingMinor: BigInt(r.outstanding_minor) }));
  }
}
