import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../common/auth/auth-context';
import { ConnectorRegistry } from '../connectors/registry';
import { CreateConnectionDto, UpdateConnectionDto } from './connection.dto';
import { ConnectionsService } from './connections.service';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly registry: ConnectorRegistry,
  ) {}

  /** Available providers with their capabilities. */
  @Get('providers')
  providers() {
    return {
      items: this.registry.all().map(({ manifest: m }) => ({
        id: m.id,
        displayName: m.displayName,
        entities: m.entities,
        mode: m.mode,
        writeBack: m.writeBack,
        auth: m.auth,
      })),
    };
  }

  @Get('connections')
  async list(@Auth() auth: AuthContext) {
    return { items: await this.connections.views(await this.connections.list(auth.tenantId)) };
  }

  @Post('connections')
  @RequireRole('admin')
  async create(@Auth() auth: AuthContext, @Body() dto: CreateConnectionDto) {
    return this.connections.view(await this.connections.create(auth.tenantId, dto));
  }

  @Get('connections/:id')
  async get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.connections.view(await this.connections.get(auth.tenantId, id));
  }

  @Patch('connections/:id')
  @RequireRole('admin')
  async update(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateConnectionDto) {
    return this.connections.view(await this.connections.update(auth.tenantId, id, dto));
  }

  @Post('connections/:id/enable')
  @RequireRole('admin')
  @HttpCode(200)
  async enable(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.connections.view(await this.connections.setEnabled(auth.tenantId, id, true));
  }

  @Post('connections/:id/disable')
  @RequireRole('admin')
  @HttpCode(200)
  async disable(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.connections.view(await this.connections.setEnabled(auth.tenantId, id, false));
  }

  @Delete('connections/:id')
  @RequireRole('admin')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    await this.connections.remove(auth.tenantId, id);
  }
}
