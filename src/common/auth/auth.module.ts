import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { ApiKeysController } from './api-keys.controller';
import { MeController } from './me.controller';
import { TenantsService } from './tenants.service';
import { Tenant } from './tenant.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, ApiKey])],
  controllers: [ApiKeysController, MeController],
  providers: [ApiKeyService, TenantsService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeyService, TenantsService],
})
export class AuthModule {}
