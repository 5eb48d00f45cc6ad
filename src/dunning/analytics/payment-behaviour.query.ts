/**
 * The allocations that make a customer's payment behaviour as of `$2` (payer scores, cash
 * forecast), as a FROM clause over `allocations a`: in force (not tombstoned, dated on or
 * before `$2`), from a payment not tombstoned and dated in the 365 days up to `$2`, to an
 * invoice in force with a customer; with `$3`, that customer's only, found through its
 * invoices' index (as an array: a sub-select under the OR would stay a filter over every
 * allocation). Each allocation carries what is needed of its ends, kept by the database
 * (migration AllocationEnds): `payment_date`, `invoice_customer_id` and `invoice_ref_date`
 * (due date, else issue date), null when the end is out of force; so no allocation is joined.
 */
export const BEHAVIOUR_ALLOCATIONS = `allocations a
     WHERE a.tenant_id = $1 AND a.deleted_at IS NULL AND a.date <= $2::date
       AND a.payment_date > $2::date - 365 AND a.payment_date <= $2::date AND a.invoice_customer_id IS NOT NULL
       AND ($3::uuid IS NULL OR (a.invoice_customer_id = $3::uuid
            AND a.invoice_id = ANY (ARRAY(SELECT i.id FROM invoices i WHERE i.tenant_id = $1 AND i.customer_id = $3::uuid))))`;
