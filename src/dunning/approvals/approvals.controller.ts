import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { DecisionDto } from '../dunning.dto';
import { DunningRunsService } from '../engine/dunning-runs.service';
import { ApprovalsService } from './approvals.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/approvals')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly runs: DunningRunsService,
  ) {}

  @Get()
  list(@Auth() auth: AuthContext) {
    return this.approvals.list(auth.tenantId);
  }

  /** Approves the message; it is delivered at once when in the sending window, else at the next delivery pass. */
  @Post(':id/approve')
  @HttpCode(200)
  @RequireRole('operator')
  async approve(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecisionDto) {
    const res = await this.approvals.decide(auth.tenantId, id, 'approve', auth.keyId, dto.reason);
    const delivery = await this.runs.deliverAndNotify(auth.tenantId);
    return { ...res, delivery };
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequireRole('operator')
  reject(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecisionDto) {
    return this.approvals.decide(auth.tenantId, id, 'reject', auth.keyId, dto.reason);
  }
}
