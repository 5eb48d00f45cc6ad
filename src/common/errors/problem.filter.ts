import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldProblem, ValidationError } from './domain-error';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  requestId?: string;
}

/** Every error leaves as `application/problem+json`; no stack trace or SQL reaches a client. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl ?? req.url;
    if (req.id) problem.requestId = String(req.id);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: req.id }, 'unhandled error');
    }
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(e: unknown): Problem {
    if (e instanceof ValidationError) {
      return { type: 'about:blank', title: e.title, status: 400, detail: e.message, errors: e.errors };
    }
    if (e instanceof DomainError) {
      return { type: 'about:blank', title: e.title, status: e.status, detail: e.message };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const body = e.getResponse();
      const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? e.message);
      return {
        type: 'about:blank',
        title: typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : e.name,
        status,
        detail: Array.isArray(detail) ? detail.join('; ') : String(detail),
      };
    }
    if (e instanceof QueryFailedError) {
      const code = (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
      if (code === '23505') return { type: 'about:blank', title: 'Conflict', status: 409, detail: 'a record with the same key already exists' };
      if (code === '22P02') return { type: 'about:blank', title: 'Invalid request', status: 400, detail: 'malformed identifier or value' };
    }
    return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred' };
  }
}
