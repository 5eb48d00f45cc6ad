import { readFileSync } from 'node:fs';
import { ValidationError, type FieldProblem } from '../../common/errors';
import { validateAgainst } from '../../common/validation';
import { BUILT_IN_TEMPLATES } from '../channels/templates';
import { configFile } from '../config-file';
import { PolicyDefinitionDto } from './policy.dto';
import type { PolicyDefinition, PolicyStep } from './policy.types';


/**
 * Validates a policy definition (shape, then meaning) and returns it with defaults filled in.
 * Throws a ValidationError listing every problem.
 */
export function parsePolicyDefinition(raw: unknown, field = 'definition'): PolicyDefinition {
  const { value, problems } = validateAgainst(PolicyDefinitionDto, stripComments(raw), field);
  if (!problems.length) problems.push(...semanticProblems(value as unknown as PolicyDefinition, field));
  if (problems.length) throw new ValidationError(problems);
  const plain = JSON.parse(JSON.stringify(value)) as PolicyDefinition;
  return {
    steps: plain.steps,
    grouping: plain.grouping ?? 'customer',
    catchUp: plain.catchUp ?? 'highest',
    approvalAboveMinor: plain.approvalAboveMinor ?? null,
    variants: plain.variants ?? [],
  };
}

function stripComments(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const { $comment: _c, ...rest } = raw as Record<string, unknown>;
  return rest;
}

function stepProblems(steps: PolicyStep[], field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = new Set<string>();
  steps.forEach((s, i) => {
    const at = `${field}.${i}`;
    if (keys.has(s.key)) problems.push({ field: `${at}.key`, message: `duplicate step key "${s.key}"` });
    keys.add(s.key);
    if (i === 0 && s.trigger.from === 'previous_step') problems.push({ field: `${at}.trigger.from`, message: 'the first step has no previous step' });
    if (s.trigger.from === 'previous_step' && s.trigger.days < 1) problems.push({ field: `${at}.trigger.days`, message: 'must be at least 1 day after the previous step' });
    for (const lang of ['fr', 'en'] as const) {
      if (!s.templates?.[lang] && !BUILT_IN_TEMPLATES[s.key]?.[lang]) {
        problems.push({ field: `${at}.templates.${lang}`, message: `no built-in template for "${s.key}": give one` });
      }
    }
    const prev = steps[i - 1];
    if (prev && prev.trigger.from === 'due_date' && s.trigger.from === 'due_date' && s.trigger.days <= prev.trigger.days) {
      problems.push({ field: `${at}.trigger.days`, message: 'steps must come in order: later than the previous step' });
    }
  });
  return problems;
}

function semanticProblems(def: PolicyDefinition, field: string): FieldProblem[] {
  const problems = stepProblems(def.steps, `${field}.steps`);
  const keys = new Set<string>();
  (def.variants ?? []).forEach((v, i) => {
    if (keys.has(v.key)) problems.push({ field: `${field}.variants.${i}.key`, message: `duplicate variant "${v.key}"` });
    keys.add(v.key);
    if (v.steps) problems.push(...stepProblems(v.steps, `${field}.variants.${i}.steps`));
  });
  return problems;
}

let cachedDefault: PolicyDefinition | null = null;

/** `config/dunning-policy.default.json`, validated. */
export function defaultPolicyDefinition(): PolicyDefinition {
  cachedDefault ??= parsePolicyDefinition(JSON.parse(readFileSync(configFile('dunning-policy.default.json'), 'utf8')), 'config/dunning-policy.default.json');
  return cachedDefault;
}
