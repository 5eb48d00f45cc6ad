import { Module } from '@nestjs/common';
import { ConnectionCredentialsLock } from './connection-credentials-lock';
import { OAuth2TokenStore } from './oauth2-token-store';
import { RateBudgets } from './rate-budget';
import { Sleeper } from './sleeper';

/**
 * The shared HTTP toolkit for API connectors: import it in a provider module and inject
 * `OAuth2TokenStore`, `RateBudgets` and `Sleeper`; build clients with `ApiClient`.
 */
@Module({
  providers: [Sleeper, RateBudgets, ConnectionCredentialsLock, OAuth2TokenStore],
  exports: [Sleeper, RateBudgets, ConnectionCredentialsLock, OAuth2TokenStore],
})
export class HttpToolkitModule {}
