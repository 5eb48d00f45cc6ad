import type { Command } from 'commander';
import { ROLES, type Role } from '../common/auth/api-key.entity';
import { ApiKeyService } from '../common/auth/api-key.service';
import { TenantsService } from '../common/auth/tenants.service';
import { CliError, printJson, withApp } from './cli-context';

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('tenants (companies or groups using Ledgerbridge)');
  tenant
    .command('create <name>')
    .description('create a tenant and its first admin API key (shown once)')
    .option('--timezone <tz>', 'IANA timezone for business days and "today"', 'Europe/Paris')
    .option('--json', 'print {"tenantId", "apiKey"} as JSON')
    .action(async (name: string, opts: { timezone: string; json?: boolean }) => {
      const { tenant: t, apiKey } = await withApp((app) => app.get(TenantsService).create(name, opts.timezone));
      if (opts.json) printJson({ tenantId: t.id, apiKey });
      else {
        process.stdout.write(`Tenant "${t.name}" created.\n  tenant id: ${t.id}\n  admin API key: ${apiKey}\n`);
        process.stdout.write('Keep the key now: it is not shown again.\n');
      }
    });
  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const tenants = await withApp((app) => app.get(TenantsService).list());
      if (opts.json) printJson(tenants.map((t) => ({ tenantId: t.id, name: t.name, timezone: t.timezone, createdAt: t.createdAt })));
      else for (const t of tenants) process.stdout.write(`${t.id}  ${t.name}\n`);
    });

  const key = program.command('api-key').description('API keys of a tenant');
  key
    .command('create')
    .description('issue an API key (shown once)')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'viewer')
    .option('--name <name>', 'label', 'CLI key')
    .option('--json', 'JSON output')
    .action(async (opts: { tenant: string; role: string; name: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`);
      const issued = await withApp(async (app) => {
        await app.get(TenantsService).get(opts.tenant);
        return app.get(ApiKeyService).issue(opts.tenant, opts.name, opts.role as Role);
      });
      if (opts.json) printJson({ id: issued.key.id, role: issued.key.role, apiKey: issued.secret });
      else process.stdout.write(`${issued.key.role} key: ${issued.secret}\n`);
    });
}
