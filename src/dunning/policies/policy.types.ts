import type { Channel } from '../outbox/dunning-message.entity';

export type TriggerFrom = 'due_date' | 'issue_date' | 'previous_step';
export type Language = 'fr' | 'en';

export interface StepTemplate {
  subject: string;
  body: string;
}

export interface PolicyStep {
  /** Stable name, e.g. `reminder_1`; also the built-in template used when `templates` is absent. */
  key: string;
  /** Days relative to the due date (negative = before), to the invoice date, or after the previous step. */
  trigger: { from: TriggerFrom; days: number };
  channels: Channel[];
  /** Inline templates per language; default: the built-in FR/EN templates of `key`. */
  templates?: Partial<Record<Language, StepTemplate>>;
  /** Operator approval before delivery; default: from the third step on. */
  requiresApproval?: boolean;
  /** Skip invoices whose outstanding amount is below this (minor units). */
  minAmountMinor?: number;
  /** Show late-payment penalties (formal notice). */
  penalties?: boolean;
}

export interface PolicyVariant {
  key: string;
  /** Steps of the variant; absent = the policy's steps. */
  steps?: PolicyStep[];
}

export interface PolicyDefinition {
  steps: PolicyStep[];
  /** `customer`: one message per customer per run listing every invoice; `invoice`: one per invoice. */
  grouping: 'customer' | 'invoice';
  /** After downtime: `highest` sends only the highest step now due; `next` the next step not yet done. */
  catchUp: 'highest' | 'next';
  /** Approval is also needed when the amount reminded exceeds this (minor units). */
  approvalAboveMinor?: number | null;
  /** A/B test: customers assigned by a stable hash of their id. */
  variants?: PolicyVariant[];
}

/** Whether a step needs approval by its own flag, or by the default (third step on). */
export function stepNeedsApproval(step: PolicyStep, index: number): boolean {
  return step.requiresApproval ?? index >= 2;
}
