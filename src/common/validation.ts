import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldProblem } from './errors';
import { flattenValidationErrors } from './errors/validation';

/** Validates a plain object against a class-validator class; problems are prefixed with `field`. */
export function validateAgainst<T extends object>(schema: new () => T, value: unknown, field: string): { value: T; problems: FieldProblem[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { value: {} as T, problems: [{ field, message: 'must be an object' }] };
  }
  const instance = plainToInstance(schema, value, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  return { value: instance, problems: flattenValidationErrors(errors, field) };
}
