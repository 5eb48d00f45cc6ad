/**
 * Read-only SQL for the dashboard's lists, over the dunning module's tables. Every query is
 * scoped by tenant.
 */

/** Per customer with dunning data: the assigned collector and the last reminder sent. */
export const CUSTOMER_DUNNING_SQL = `
  SELECT c.id AS customer_id, s.collector, m.last_sent_at
    FROM customers c
    LEFT JOIN dunning_customer_settings s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id
    LEFT JOIN (SELECT customer_id, max(sent_at) AS last_sent_at
                 FROM dunning_messages
                WHERE tenant_id = $1 AND sent_at IS NOT NULL
                GROUP BY customer_id) m ON m.customer_id = c.id
   WHERE c.tenant_id = $1 AND c.deleted_at IS NULL
     AND (s.collector IS NOT NULL OR m.last_sent_at IS NOT NULL)`;

/** Reminders past approval (queued, sending, sent, failed), newest first, keyset-paginated on (created_at, id). */
export const REMINDERS_SQL = `
  SELECT m.id, m.customer_id, c.name AS customer_name, m.channel, m.step_index, m.step_key, m.status, m.recipient,
         m.subject, m.attempts, m.last_error, m.sent_at, m.created_at,
         to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key, (m.document_path IS NOT NULL) AS has_document,
         (SELECT count(*)::int FROM dunning_reminders r WHERE r.tenant_id = m.tenant_id AND r.message_id = m.id) AS invoices
    FROM dunning_messages m
    JOIN customers c ON c.id = m.customer_id AND c.tenant_id = m.tenant_id
   WHERE m.tenant_id = $1
     AND m.status IN ('queued', 'sending', 'sent', 'failed')
     AND ($2::timestamptz IS NULL OR (m.created_at, m.id) < ($2::timestamptz, $3::uuid))
   ORDER BY m.created_at DESC, m.id DESC
   LIMIT $4`;
