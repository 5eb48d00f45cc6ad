import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from './config/app-config';

/** Paths redacted from every log line: credentials never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.credentials',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.refreshToken',
  '*.refresh_token',
  '*.accessToken',
  '*.access_token',
  '*.apiKey',
  '*.secret',
  '*.smtpPassword',
];

export function loggerParams(config: AppConfig, opts: { stderr?: boolean } = {}): Params {
  const options = {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
      },
      customProps: () => ({ service: 'ledgerbridge' }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
  };
  // The CLI keeps stdout for its own output (JSON, CSV): its logs go to stderr.
  return { pinoHttp: opts.stderr ? [options, pino.destination(2)] : options };
}
