import { CronTime } from 'cron';
import type { FieldProblem } from '../common/errors';

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Field problems of a cron + timezone pair (empty when valid). */
export function scheduleProblems(cron: string, timezone: string, prefix = 'schedule'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isValidTimezone(timezone)) problems.push({ field: `${prefix}.timezone`, message: `unknown IANA timezone "${timezone}"` });
  try {
    new CronTime(cron, isValidTimezone(timezone) ? timezone : 'UTC');
  } catch (e) {
    problems.push({ field: `${prefix}.cron`, message: `invalid cron expression: ${(e as Error).message}` });
  }
  return problems;
}
