import { SecretBoxError } from '../common/crypto/secret-box';
import { ValidationError } from '../common/errors';
import { PermanentSyncError, SourcePausedError, TransientSyncError } from '../connectors/connector';
import { classifySyncError, retryDelayMs } from './sync-error';

describe('classifySyncError', () => {
  it('maps connector errors', () => {
    expect(classifySyncError(new PermanentSyncError('token revoked', { cause: new Error('invalid_grant') }))).toEqual({
      kind: 'permanent',
      message: 'token revoked',
      cause: 'invalid_grant',
    });
    expect(classifySyncError(new TransientSyncError('429', 5000))).toEqual({ kind: 'transient', message: '429', cause: undefined, retryAfterMs: 5000 });
    const until = new Date('2026-01-16T00:00:00Z');
    expect(classifySyncError(new SourcePausedError('daily limit', until))).toEqual({ kind: 'paused', message: 'daily limit', until });
  });

  it('treats service-side configuration problems as permanent', () => {
    expect(classifySyncError(new ValidationError([{ field: 'provider', message: 'unknown provider "gone"' }])).kind).toBe('permanent');
    expect(classifySyncError(new SecretBoxError('cannot decrypt: wrong master key or tampered data')).kind).toBe('permanent');
  });

  it('maps database, network and HTTP errors', () => {
    expect(classifySyncError(Object.assign(new Error('invalid input syntax for type date'), { code: '22007' })).kind).toBe('permanent');
    expect(classifySyncError(Object.assign(new Error('deadlock detected'), { code: '40P01' })).kind).toBe('transient');
    expect(classifySyncError(Object.assign(new Error('lock timeout'), { code: '55P03' })).kind).toBe('transient');
    expect(classifySyncError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind).toBe('transient');
    expect(classifySyncError(Object.assign(new Error('Request failed with status code 503'), { response: { status: 503 } })).kind).toBe('transient');
    expect(classifySyncError(Object.assign(new Error('Request failed with status code 401'), { response: { status: 401 } })).kind).toBe('permanent');
  });
});

describe('retryDelayMs', () => {
  it('doubles per attempt with jitter in [half, full], capped, and honours Retry-After', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0.5)).toBe(3000);
    expect(retryDelayMs(10, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(1, 1000, 60_000, () => 1, 7000)).toBe(7000);
  });
});
