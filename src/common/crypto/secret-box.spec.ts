import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32).toString('base64');
  const box = new SecretBox(key);

  it('round-trips and never leaves the plaintext in the envelope', () => {
    const env = box.sealJson({ clientSecret: 's3cr3t-value' }, 'conn-1');
    expect(env).not.toContain('s3cr3t');
    expect(env.startsWith('v1.')).toBe(true);
    expect(box.openJson(env, 'conn-1')).toEqual({ clientSecret: 's3cr3t-value' });
  });

  it('rejects another row, another key and tampering', () => {
    const env = box.seal('hello', 'conn-1');
    expect(() => box.open(env, 'conn-2')).toThrow('cannot decrypt');
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(env, 'conn-1')).toThrow('cannot decrypt');
    const parts = env.split('.');
    parts[3] = Buffer.from('hellx').toString('base64url');
    expect(() => box.open(parts.join('.'), 'conn-1')).toThrow('cannot decrypt');
    expect(() => box.open('garbage', 'conn-1')).toThrow('unrecognised envelope');
  });

  it('requires a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow('32 bytes');
  });
});
