import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './common/auth/auth.module';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './common/config/app-config';
import { ConfigModule } from './common/config/config.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { DatabaseModule } from './common/database/database.module';
import { loggerParams } from './common/logging';
import { ConnectorsModule } from './connectors/connectors.module';
import { PROVIDER_MODULES } from './connectors/providers';
import { DashboardModule } from './dashboard/dashboard.module';
import { LedgerModule } from './ledger/ledger.module';
import { SyncModule } from './sync/sync.module';
import { AnalyticsModule } from './dunning/analytics/analytics.module';
import { ReconciliationModule } from './dunning/reconciliation/reconciliation.module';
import { DunningModule } from './dunning/dunning.module';
import { SettingsModule } from './settings/settings.module';

export interface AppOptions {
  config: AppConfig;
  /** Resolved database URL (DATABASE_URL or the embedded server). */
  databaseUrl: string;
  /** Resolved master key (config, or generated in development). */
  masterKey: string;
  /** Extra modules (tests register their test-only connector this way). */
  extraModules?: Array<Type<unknown> | DynamicModule>;
  /** Command-line use: logs to stderr, stdout stays for output. */
  cli?: boolean;
}

/** The feature modules, shared by the HTTP service and the CLI. */
export const FEATURE_MODULES: Array<Type<unknown> | DynamicModule> = [
  CommonModule,
  AuthModule,
  ConnectorsModule,
  LedgerModule,
  SyncModule,
  DashboardModule,
  AnalyticsModule,
  ReconciliationModule,
  DunningModule,
  SettingsModule,
  ...(PROVIDER_MODULES as Array<Type<unknown>>),
];

@Module({})
export class AppModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(opts.config),
        LoggerModule.forRoot(loggerParams(opts.config, { stderr: opts.cli })),
        DatabaseModule.forRoot(opts.databaseUrl, opts.config.dbPoolSize),
        CryptoModule.forRoot(opts.masterKey),
        ScheduleModule.forRoot(),
        ...FEATURE_MODULES,
        ...(opts.extraModules ?? []),
      ],
    };
  }
}
