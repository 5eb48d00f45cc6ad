import { Module, OnModuleInit } from '@nestjs/common';
import { ConsentKit } from '../oauth-consent-kit';
import { HttpToolkitModule } from '../../common/http/http-toolkit.module';
import { SyncModule } from '../../sync/sync.module';
import { ConnectorRegistry } from '../registry';
import { SageOAuthController } from './sage-oauth.controller';
import { SageOAuthService } from './sage-oauth.service';
import { SageConnector } from './sage.connector';

@Module({ imports: [HttpToolkitModule, SyncModule], controllers: [SageOAuthController], providers: [SageConnector, SageOAuthService, ConsentKit], exports: [SageConnector] })
export class SageModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: SageConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}
