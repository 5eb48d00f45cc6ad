import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import type { DunningPolicy } from './dunning-policy.entity';
import { PoliciesService } from './policies.service';
import { AssignPolicyDto, CreatePolicyDto } from './policy.dto';

const view = (p: DunningPolicy) => ({ id: p.id, name: p.name, isDefault: p.isDefault, ...p.definition, createdAt: p.createdAt, updatedAt: p.updatedAt });

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  async list(@Auth() auth: AuthContext) {
    return { items: (await this.policies.list(auth.tenantId)).map(view) };
  }

  @Get(':id')
  async get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return view(await this.policies.get(auth.tenantId, id));
  }

  @Post()
  @RequireRole('admin')
  async create(@Auth() auth: AuthContext, @Body() dto: CreatePolicyDto) {
    return view(await this.policies.create(auth.tenantId, dto, auth.keyId));
  }

  @Put(':id')
  @RequireRole('admin')
  async replace(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreatePolicyDto) {
    return view(await this.policies.replace(auth.tenantId, id, dto, auth.keyId));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  async remove(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    await this.policies.remove(auth.tenantId, id, auth.keyId);
  }

  /** Applies the policy to an invoice, a customer or a payer segment. */
  @Post(':id/assignments')
  @RequireRole('admin')
  async assign(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignPolicyDto) {
    const a = await this.policies.assign(auth.tenantId, id, dto.scope, dto.target, auth.keyId);
    return { id: a.id, policyId: a.policyId, scope: a.scope, target: a.target };
  }
}
