import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { AssignTaskDto, CompleteTaskDto, ListQuery } from '../dunning.dto';
import { TasksService } from './tasks.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** The call work list (`?status=open&assignedTo=...&customer=...`). */
  @Get()
  list(@Auth() auth: AuthContext, @Query() q: ListQuery) {
    return this.tasks.list(auth.tenantId, { status: q.status, assignedTo: q.assignedTo, customerId: q.customer });
  }

  @Get(':id')
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.tasks.get(auth.tenantId, id);
  }

  @Patch(':id')
  @RequireRole('operator')
  assign(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignTaskDto) {
    return this.tasks.assign(auth.tenantId, id, dto.assignedTo ?? null, auth.keyId);
  }

  /** Records the call's outcome; `promise` and `dispute` outcomes create them. */
  @Post(':id/complete')
  @HttpCode(200)
  @RequireRole('operator')
  complete(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CompleteTaskDto) {
    return this.tasks.complete(auth.tenantId, id, dto, auth.keyId);
  }
}
