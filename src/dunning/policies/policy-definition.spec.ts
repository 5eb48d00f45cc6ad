import { ValidationError } from '../../common/errors';
import { defaultPolicyDefinition, parsePolicyDefinition } from './policy-definition';
import { stepNeedsApproval } from './policy.types';

describe('policy definitions', () => {
  it('ships the default policy: pre-reminder −5, reminders +5/+15/+30 (with a call), formal notice +60', () => {
    const p = defaultPolicyDefinition();
    expect(p.steps.map((s) => [s.key, s.trigger.days, s.channels.join('+'), stepNeedsApproval(s, p.steps.indexOf(s)), !!s.penalties])).toEqual([
      ['pre_reminder', -5, 'email', false, false],
      ['reminder_1', 5, 'email', false, false],
      ['reminder_2', 15, 'email', true, false],
      ['reminder_3', 30, 'email+call', true, false],
      ['formal_notice', 60, 'letter+call', true, true],
    ]);
    expect(p).toMatchObject({ grouping: 'customer', catchUp: 'highest', approvalAboveMinor: null, variants: [] });
  });

  it('needs approval from the third step on unless the step says otherwise', () => {
    const p = parsePolicyDefinition({ steps: ['reminder_1', 'reminder_2', 'reminder_3'].map((key, i) => ({ key, trigger: { from: 'due_date', days: i * 10 }, channels: ['email'] })) });
    expect(p.steps.map((s, i) => stepNeedsApproval(s, i))).toEqual([false, false, true]);
  });

  it('lists every problem with its field', () => {
    const bad = () =>
      parsePolicyDefinition({
        steps: [
          { key: 'custom', trigger: { from: 'previous_step', days: 0 }, channels: ['fax'] },
          { key: 'reminder_1', trigger: { from: 'due_date', days: 5 }, channels: ['email'] },
        ],
      });
    expect(bad).toThrow(ValidationError);
    try {
      bad();
    } catch (e) {
      expect((e as ValidationError).errors.map((p) => p.field)).toEqual(['definition.steps.0.channels']);
    }
    try {
      parsePolicyDefinition({
        steps: [
          { key: 'custom', trigger: { from: 'previous_step', days: 0 }, channels: ['email'] },
          { key: 'custom', trigger: { from: 'due_date', days: 5 }, channels: ['email'] },
        ],
      });
      throw new Error('expected a ValidationError');
    } catch (e) {
      expect((e as ValidationError).errors).toEqual([
        { field: 'definition.steps.0.trigger.from', message: 'the first step has no previous step' },
        { field: 'definition.steps.0.trigger.days', message: 'must be at least 1 day after the previous step' },
        { field: 'definition.steps.0.templates.fr', message: 'no built-in template for "custom": give one' },
        { field: 'definition.steps.0.templates.en', message: 'no built-in template for "custom": give one' },
        { field: 'definition.steps.1.key', message: 'duplicate step key "custom"' },
        { field: 'definition.steps.1.templates.fr', message: 'no built-in template for "custom": give one' },
        { field: 'definition.steps.1.templates.en', message: 'no built-in template for "custom": give one' },
      ]);
    }
  });
});
