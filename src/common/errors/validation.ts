import { ValidationPipe, ValidationError as ClassValidatorError } from '@nestjs/common';
import { FieldProblem, ValidationError } from './domain-error';

export function flattenValidationErrors(errors: ClassValidatorError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** Body/query validation with field-level problems; unknown properties are rejected. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationError(flattenValidationErrors(errors)),
  });
}
