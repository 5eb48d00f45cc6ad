import { DomainError } from '../../common/errors';

/** One problem found in a FEC file, located as `file:line: field: reason`. */
export interface FecProblem {
  file: string;
  line: number;
  field: string;
  reason: string;
}

export function formatProblem(p: FecProblem): string {
  return `${p.file}:${p.line}: ${p.field}: ${p.reason}`;
}

/** A single located problem (used while parsing one line or the header). */
export class FecFormatError extends DomainError {
  readonly status = 422;
  override readonly title = 'Invalid FEC file';

  constructor(readonly file: string, readonly line: number, readonly field: string, readonly reason: string) {
    super(`${file}:${line}: ${field}: ${reason}`);
  }
}

/**
 * The file was rejected: every problem found (up to a limit) is listed, nothing was
 * written and the previous import is intact.
 */
export class FecValidationError extends DomainError {
  readonly status = 422;
  override readonly title = 'Invalid FEC file';

  constructor(readonly problems: FecProblem[], readonly truncated: boolean) {
    super(
      `FEC file rejected (${problems.length}${truncated ? '+' : ''} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map(formatProblem).join('\n'),
    );
  }
}

/** Collects problems up to a limit; the import fails at the end when there is any. */
export class ProblemList {
  readonly items: FecProblem[] = [];
  truncated = false;

  constructor(readonly limit = 100) {}

  add(p: FecProblem): void {
    if (this.items.length < this.limit) this.items.push(p);
    else this.truncated = true;
  }

  get size(): number {
    return this.items.length;
  }

  throwIfAny(): void {
    if (this.items.length) throw new FecValidationError(this.items, this.truncated);
  }
}
