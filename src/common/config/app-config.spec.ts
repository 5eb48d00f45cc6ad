import { ConfigError, loadConfig, validateEnvironment } from './app-config';

describe('configuration', () => {
  it('applies defaults', () => {
    const c = loadConfig({ DATABASE_URL: '', PORT: undefined, NODE_ENV: 'development', DATA_DIR: undefined, MASTER_KEY: '' });
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./.data');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.schedulerEnabled).toBe(true);
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      validateEnvironment({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MASTER_KEY: 'short', NODE_ENV: 'staging' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(problems).toContain('MASTER_KEY must be 32 bytes');
    expect(problems).toContain('NODE_ENV');
    expect((err as ConfigError).problems.length).toBeGreaterThanOrEqual(4);
  });

  it('requires a master key in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow('MASTER_KEY: required when NODE_ENV=production');
  });

  it('parses booleans', () => {
    expect(validateEnvironment({ SCHEDULER_ENABLED: 'false', WORKERS_ENABLED: '0' })).toMatchObject({
      SCHEDULER_ENABLED: false,
      WORKERS_ENABLED: false,
    });
  });
});
