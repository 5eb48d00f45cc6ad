import { Module, OnModuleInit } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { AppConfig } from '../../common/config/app-config';
import { APP_CONFIG } from '../../common/config/config.module';
import { LedgerWriterModule } from '../../ledger/ledger-writer.module';
import { ConnectorRegistry } from '../registry';
import { FecBalancesService } from './fec-balances.service';
import { FecImportService } from './fec-import.service';
import { FecUploadController, fecUploadDir } from './fec-upload.controller';
import { FecConnector } from './fec.connector';

/** The FEC provider: connector (directory watch), file import service, upload endpoint, balances. */
@Module({
  imports: [
    LedgerWriterModule,
    MulterModule.registerAsync({ useFactory: (config: AppConfig) => ({ dest: fecUploadDir(config) }), inject: [APP_CONFIG] }),
  ],
  controllers: [FecUploadController],
  providers: [FecConnector, FecImportService, FecBalancesService],
  exports: [FecConnector, FecImportService, FecBalancesService],
})
export class FecModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: FecConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}
