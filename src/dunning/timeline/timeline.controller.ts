import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReadStream } from 'node:fs';
import { DataSource } from 'typeorm';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { NotFoundError } from '../../common/errors';
import { LetterChannel } from '../channels/letter.channel';
import { ListQuery } from '../dunning.dto';
import { TimelineService } from './timeline.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1')
export class TimelineController {
  constructor(
    private readonly timeline: TimelineService,
    private readonly letters: LetterChannel,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get('customers/:id/timeline')
  customer(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.timeline.forCustomer(auth.tenantId, id);
  }

  @Get('invoices/:id/timeline')
  invoice(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.timeline.forInvoice(auth.tenantId, id);
  }

  /** Sent, queued, failed reminders (`?status=&customer=`), with their delivery status. */
  @Get('dunning/messages')
  messages(@Auth() auth: AuthContext, @Query() q: ListQuery) {
    return this.timeline.messages(auth.tenantId, { status: q.status, customerId: q.customer });
  }

  /** The PDF of a letter (formal notice), for download and printing. */
  @Get('dunning/messages/:id/document')
  async document(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    const rows = await this.ds.query(`SELECT document_path FROM dunning_messages WHERE tenant_id = $1 AND id = $2`, [auth.tenantId, id]);
    if (!rows.length || !rows[0].document_path) throw new NotFoundError('document of message', id);
    return new StreamableFile(createReadStream(this.letters.absolute(rows[0].document_path)), {
      type: 'application/pdf',
      disposition: `attachment; filename="${id}.pdf"`,
    });
  }
}
