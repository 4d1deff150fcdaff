// Configuration: found where Pattern looks, parses, has what Pattern requires, no ${VAR}, credentials where Pattern reads them.
import { stat } from 'node:fs/promises';
import { findPlaceholders } from '../../core/config-model.js';
import { PatternDbError } from '../../core/errors.js';
import { configSearchPaths, loadPatternConfig, locateConfig, resolveStorePath } from '../../files/config-files.js';
import { fail, fromError, ok, skip, warn, type DoctorCheck } from './check.js';
import { findCredentials } from '../../files/database-target.js';
import type { DoctorFindings } from './findings.js';
import { credentialSearch } from './server-target.js';

const searchOptions = (findings: DoctorFindings) => ({ cwd: findings.input.cwd, env: findings.input.env, home: findings.input.home });

const found: DoctorCheck = {
  id: 'config.found',
  group: 'config',
  title: 'Config file',
  async run(findings) {
    const places = configSearchPaths(searchOptions(findings));
    const marks = await Promise.all(places.map(async (p) => `${(await stat(p).then(() => true, () => false)) ? 'exists ' : 'missing'} ${p}`));
    const evidence = [`Pattern looks, in this order (the first that exists wins):`, ...marks.map((m, i) => `  ${i + 1}. ${m}`)];
    const located = await locateConfig(findings.input.configPath, searchOptions(findings));
    findings.located = located;
    if (!located) {
      if (findings.input.source || findings.input.target) {
        return warn('W_NO_CONFIG', 'No Pattern config found; checking only what --source/--target name.', {
          evidence,
          fix: 'Pass --config FILE to check the config Pattern runs with.',
        });
      }
      return fail('E_CONFIG_NOT_FOUND', 'No Pattern config file was found where Pattern looks.', {
        evidence,
        fix: 'Run from the folder that holds pattern.toml, or pass --config FILE. (`pattern-db demo` makes a demo setup.)',
      });
    }
    const how = located.source === 'flag' ? 'given with --config' : `place ${places.indexOf(located.path) + 1} of ${places.length} Pattern looks in`;
    return ok('D_CONFIG_FOUND', `${located.path} (${how})`, { evidence });
  },
};

const parses: DoctorCheck = {
  id: 'config.parses',
  group: 'config',
  title: 'Config parses',
  async run(findings) {
    if (!findings.located) return skip('no config file');
    try {
      findings.config = await loadPatternConfig(findings.located.path);
    } catch (error) {
      if (error instanceof PatternDbError && error.code === 'E_CONFIG_INVALID') {
        findings.configProblem = error;
        return ok('D_CONFIG_PARSES', 'The file is valid TOML.');
      }
      throw error;
    }
    return ok('D_CONFIG_PARSES', 'The file is valid TOML.');
  },
};

const database: DoctorCheck = {
  id: 'config.database',
  group: 'config',
  title: '[database] as Pattern reads it',
  async run(findings) {
    if (findings.configProblem) return fromError(findings.configProblem);
    const config = findings.config;
    if (!config) return skip('no readable config');
    const db = config.database;
    const incomplete = config.warnings.find((w) => w.code === 'W_CONFIG_INCOMPLETE');
    const described =
      db.type === 'embedded'
        ? `type = "embedded", path = ${JSON.stringify(db.path)}${db.path === '' ? ' (in memory: nothing is kept on disk)' : ` → ${resolveStorePath(db, findings.input.cwd, findings.input.home)}`}`
        : `type = "remote", url = ${JSON.stringify(db.url)}, namespace = ${JSON.stringify(db.namespace)}, database = ${JSON.stringify(db.database)}`;
    const evidence = [described, ...(config.parsed['database'] === undefined ? ['(no [database] table: Pattern uses its default, an embedded store at ./pattern.db)'] : [])];
    if (incomplete) return warn(incomplete.code, incomplete.message, { evidence, fix: incomplete.fix });
    const memory = config.warnings.find((w) => w.code === 'W_IN_MEMORY_STORE');
    if (memory) return warn(memory.code, memory.message, { evidence, fix: memory.fix });
    return ok('D_CONFIG_DATABASE', described);
  },
};

const placeholders: DoctorCheck = {
  id: 'config.placeholders',
  group: 'config',
  title: 'No ${VAR} placeholders',
  async run(findings) {
    if (!findings.config) return skip('no readable config');
    const keys = findPlaceholders(findings.config.parsed);
    if (!keys.length) return ok('D_NO_PLACEHOLDERS', 'No value contains ${…}.');
    const credentials = keys.filter((k) => k === 'database.username' || k === 'database.password');
    return warn('W_PLACEHOLDER', `${keys.join(', ')} contain${keys.length === 1 ? 's' : ''} \${…}: Pattern does not expand \${VAR} and uses the text literally.`, {
      evidence: keys.map((k) => `${k} = ${JSON.stringify(valueAt(findings.config!.parsed, k))}`),
      fix: credentials.length
        ? 'Remove username/password from [database] and set SURREAL_USER / SURREAL_PASS in the environment or .env: Pattern reads them only when the keys are absent. Write other values out in full.'
        : 'Write the real values into the config.',
    });
  },
};

const credentials: DoctorCheck = {
  id: 'config.credentials',
  group: 'config',
  title: 'Credentials where Pattern reads them',
  async run(findings) {
    const db = findings.config?.database;
    if (db?.type !== 'remote') return skip(db ? 'an embedded store needs no credentials' : 'no readable config');
    const found = await findCredentials(credentialSearch(findings), db);
    const where = (c: { from: string } | undefined, name: string) => (c ? `${name} from ${c.from}` : `${name} not found`);
    const evidence = [
      `${where(found.username, 'username')}, ${where(found.password, 'password')}`,
      'Pattern reads [database].username/password, else SURREAL_USER/SURREAL_PASS from the environment, else from .env (this folder or a parent).',
    ];
    if (!found.username || !found.password) {
      return fail('E_AUTH', 'Pattern signs in only when both a username and a password are present; without them it connects unauthenticated and the server refuses its queries.', {
        evidence,
        fix: 'Set SURREAL_USER and SURREAL_PASS in .env (mode 0600) beside where Pattern runs, or in its environment.',
      });
    }
    if (found.password.from === 'config') {
      return warn('W_SECRET_IN_CONFIG', 'The password is written in the config in plain text (and `pattern-cli config show` prints it).', {
        evidence,
        fix: 'Remove username and password from [database] and put SURREAL_USER / SURREAL_PASS in .env (mode 0600) instead.',
      });
    }
    return ok('D_CREDENTIALS', `username from ${found.username.from}, password from ${found.password.from}`, { evidence });
  },
};

function valueAt(parsed: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), parsed);
}

export const CONFIG_CHECKS: DoctorCheck[] = [found, parses, database, placeholders, credentials];
