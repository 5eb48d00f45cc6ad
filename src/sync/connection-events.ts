import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { Connection } from './connection.entity';

export type ConnectionEvent = { type: 'saved'; connection: Connection } | { type: 'deleted'; connectionId: string };

/** Connection changes, for the scheduler to keep its cron entries in step without a restart. */
@Injectable()
export class ConnectionEvents {
  readonly events$ = new Subject<ConnectionEvent>();

  saved(connection: Connection): void {
    this.events$.next({ type: 'saved', connection });
  }

  deleted(connectionId: string): void {
    this.events$.next({ type: 'deleted', connectionId });
  }
}
