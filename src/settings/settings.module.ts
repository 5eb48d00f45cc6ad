import { Module } from '@nestjs/common';
import { DunningModule } from '../dunning/dunning.module';
import { TenantSettingsController } from './tenant-settings.controller';
import { TenantSettingsService } from './tenant-settings.service';

/** Tenant settings (admin): `GET/PATCH /v1/settings`, `POST /v1/settings/smtp/test`. */
@Module({
  imports: [DunningModule],
  controllers: [TenantSettingsController],
  providers: [TenantSettingsService],
})
export class SettingsModule {}
