import { ApiKey } from '../auth/api-key.entity';
import { Tenant } from '../auth/tenant.entity';
import { Allocation } from '../../ledger/allocation.entity';
import { Customer } from '../../ledger/customer.entity';
import { Invoice } from '../../ledger/invoice.entity';
import { Payment } from '../../ledger/payment.entity';
import { Connection } from '../../sync/connection.entity';
import { SyncRun } from '../../sync/sync-run.entity';
import { AuditEvent } from '../../dunning/collab/audit-event.entity';
import { Dispute } from '../../dunning/collab/dispute.entity';
import { PaymentPromise } from '../../dunning/collab/payment-promise.entity';
import { AllocationReview } from '../../dunning/reconciliation/allocation-review.entity';
import { Alert } from '../../dunning/analytics/alert.entity';
import { DunningPolicy } from '../../dunning/policies/dunning-policy.entity';
import { PolicyAssignment } from '../../dunning/policies/policy-assignment.entity';
import { CustomerDunningSettings } from '../../dunning/controls/customer-dunning-settings.entity';
import { DunningPause } from '../../dunning/controls/dunning-pause.entity';
import { DunningRun } from '../../dunning/engine/dunning-run.entity';
import { DunningMessage } from '../../dunning/outbox/dunning-message.entity';
import { DunningReminder } from '../../dunning/outbox/dunning-reminder.entity';
import { DunningTask } from '../../dunning/tasks/dunning-task.entity';
import { DunningEvent } from '../../dunning/timeline/dunning-event.entity';
import { WebhookEndpoint } from '../../dunning/webhooks/webhook-endpoint.entity';
import { WebhookDelivery } from '../../dunning/webhooks/webhook-delivery.entity';

/** Every TypeORM entity; migrations must describe exactly these (test/schema.test.ts). */
export const ENTITIES = [Tenant, ApiKey, Connection, SyncRun, Customer, Invoice, Payment, Allocation,
  Dispute, PaymentPromise, AuditEvent, AllocationReview, Alert,
  // Dunning
  DunningPolicy, PolicyAssignment, CustomerDunningSettings, DunningPause, DunningRun, DunningMessage, DunningReminder,
  DunningTask, DunningEvent, WebhookEndpoint, WebhookDelivery,
];
