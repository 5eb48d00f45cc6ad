import { DynamicModule, Global, Module } from '@nestjs/common';
import { SECRET_BOX, SecretBox } from './secret-box';

@Global()
@Module({})
export class CryptoModule {
  static forRoot(masterKey: string): DynamicModule {
    return { module: CryptoModule, providers: [{ provide: SECRET_BOX, useValue: new SecretBox(masterKey) }], exports: [SECRET_BOX] };
  }
}
