/**
 * `allocations.in_force_on` of an allocation being written (not deleted), from its date and
 * its ends as the statement joined them: the latest of the three dates, or null when the
 * invoice end is void, deleted or missing, or the other end is (a payment first, else a
 * credit note). The rule of the AllocationsInForce migration, whose triggers check every
 * written row and correct any that differs: writers of many allocations compute it so that
 * nothing needs correcting.
 */
export function inForceOnSql(date: string, invoice: string, payment: string, creditNote: string): string {
  return `CASE WHEN ${invoice}.deleted_at IS NULL AND ${invoice}.status NOT IN ('void', 'deleted')
            AND CASE WHEN ${payment}.id IS NOT NULL THEN ${payment}.deleted_at IS NULL
                     WHEN ${creditNote}.id IS NOT NULL THEN ${creditNote}.deleted_at IS NULL AND ${creditNote}.status NOT IN ('void', 'deleted')
                     ELSE false END
       THEN GREATEST(${date}, ${invoice}.issue_date, CASE WHEN ${payment}.id IS NOT NULL THEN ${payment}.date ELSE ${creditNote}.issue_date END) END`;
}
