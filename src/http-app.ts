import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ProblemFilter } from './common/errors/problem.filter';
import { createValidationPipe } from './common/errors/validation';

/** HTTP concerns shared by `main.ts` and the end-to-end tests: the same stack in both. */
export function configureHttp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  const http = app.getHttpAdapter().getInstance() as { disable?: (s: string) => void; set?: (k: string, v: unknown) => void };
  http.disable?.('x-powered-by');
  http.set?.('query parser', 'extended');
  const doc = new DocumentBuilder()
    .setTitle('Ledgerbridge API')
    .setDescription('Normalized receivables ledger and credit management. Authenticate with `Authorization: Bearer <apiKey>`.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs/openapi.json' });
}
