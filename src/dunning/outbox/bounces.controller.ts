import { Controller, HttpCode, PayloadTooLargeException, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { ValidationError } from '../../common/errors';
import { BouncesService, MAX_BOUNCE_BYTES } from './bounces.service';

/** The request body as text: the raw message (message/rfc822, text/plain), or JSON `{"raw": "..."}`. */
async function bounceText(req: Request): Promise<string> {
  if (req.is('application/json')) {
    const raw = (req.body as { raw?: unknown } | undefined)?.raw;
    if (typeof raw !== 'string') throw new ValidationError([{ field: 'raw', message: 'must be the bounce message as a string' }]);
    return raw;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BOUNCE_BYTES) throw new PayloadTooLargeException(`a bounce is at most ${MAX_BOUNCE_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/bounces')
export class BouncesController {
  constructor(private readonly bounces: BouncesService) {}

  /**
   * A bounce (delivery status notification) as received in the bounce mailbox: marks the
   * reminder e-mail it names failed, on the timeline, webhooks and write-back.
   */
  @Post()
  @HttpCode(200)
  @RequireRole('operator')
  @ApiConsumes('message/rfc822', 'text/plain', 'application/json')
  @ApiBody({ description: 'the bounce message as received, or {"raw": "<the message>"}', schema: { type: 'string' } })
  async report(@Auth() auth: AuthContext, @Req() req: Request) {
    return this.bounces.record(auth.tenantId, await bounceText(req), auth.keyId);
  }
}
