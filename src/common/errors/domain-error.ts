/** Base of every error the service raises on purpose; mapped to HTTP once (ProblemFilter). */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  readonly title: string = 'Error';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly status = 400;
  override readonly title = 'Invalid request';

  constructor(readonly errors: FieldProblem[], message = errors.map((e) => `${e.field}: ${e.message}`).join('; ')) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  override readonly title = 'Not found';

  constructor(what: string, id?: string) {
    super(id ? `${what} ${id} not found` : `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  override readonly title = 'Conflict';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  override readonly title = 'Forbidden';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  override readonly title = 'Unauthorized';
}
