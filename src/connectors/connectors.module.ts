import { Global, Module } from '@nestjs/common';
import { ConnectorRegistry } from './registry';

@Global()
@Module({ providers: [ConnectorRegistry], exports: [ConnectorRegistry] })
export class ConnectorsModule {}
