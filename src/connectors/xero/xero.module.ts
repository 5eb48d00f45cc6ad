import { Module, OnModuleInit } from '@nestjs/common';
import { ConsentKit } from '../oauth-consent-kit';
import { HttpToolkitModule } from '../../common/http/http-toolkit.module';
import { SyncModule } from '../../sync/sync.module';
import { ConnectorRegistry } from '../registry';
import { XeroOAuthController } from './xero-oauth.controller';
import { XeroOAuthService } from './xero-oauth.service';
import { XeroConnector } from './xero.connector';

@Module({
  imports: [HttpToolkitModule, SyncModule],
  controllers: [XeroOAuthController],
  providers: [XeroConnector, XeroOAuthService, ConsentKit],
  exports: [XeroConnector],
})
export class XeroModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: XeroConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}
