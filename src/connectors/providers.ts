import { FecModule } from './fec/fec.module';
import { QuickBooksModule } from './quickbooks/qbo.module';
import { SageModule } from './sage/sage.module';
import { XeroModule } from './xero/xero.module';

/**
 * The provider modules the service loads. Adding a provider = creating its folder
 * `connectors/<id>/` with a module that registers its connector, and listing it here.
 */
export const PROVIDER_MODULES: Array<new (...args: never[]) => unknown> = [FecModule, QuickBooksModule, SageModule, XeroModule];
