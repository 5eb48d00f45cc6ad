import { Module, OnModuleInit } from '@nestjs/common';
import { ConsentKit } from '../oauth-consent-kit';
import { HttpToolkitModule } from '../../common/http/http-toolkit.module';
import { SyncModule } from '../../sync/sync.module';
import { ConnectorRegistry } from '../registry';
import { QboOAuthController } from './qbo-oauth.controller';
import { QboOAuthService } from './qbo-oauth.service';
import { QboConnector } from './qbo.connector';

@Module({ imports: [HttpToolkitModule, SyncModule], controllers: [QboOAuthController], providers: [QboConnector, QboOAuthService, ConsentKit], exports: [QboConnector] })
export class QuickBooksModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: QboConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}
