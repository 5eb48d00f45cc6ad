import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PayerScoreService } from '../analytics/payer-score.service';

/**
 * Payer segments (from the payer score) for policy assignment per segment. Scores are only
 * computed when the tenant assigns a policy to a segment.
 */
@Injectable()
export class PayerSegments {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly scores: PayerScoreService,
  ) {}

  /** Segment name by customer id, as of a date (empty when no policy targets a segment). */
  async segments(tenantId: string, asOf: string): Promise<Map<string, string>> {
    const used = await this.ds.query(`SELECT 1 FROM dunning_policy_assignments WHERE tenant_id = $1 AND scope = 'segment' LIMIT 1`, [tenantId]);
    if (!used.length) return new Map();
    return new Map(await this.scores.segments(tenantId, asOf));
  }
}
