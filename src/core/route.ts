// Which SurrealDB major the data leaves and which it arrives in, and what that means for Pattern afterwards.
import { PatternDbError } from './errors.js';

export type Major = 2 | 3;

export interface Route {
  /** The major that wrote the store. */
  source: Major;
  /** The major of the server the data goes to. */
  target: Major;
}

export interface RouteInput {
  storeMajor: Major;
  /** --target-version. */
  requested?: Major;
  /** The existing target server's version, e.g. "2.6.5" (absent for a new managed server). */
  serverVersion?: string;
  serverUrl?: string;
}

export function majorOf(version: string): number {
  return Number(/^v?(\d+)\./.exec(version.trim())?.[1] ?? NaN);
}

/**
 * The route of a run: the requested major, else the existing server's, else (a new server) the store's own, so a 2.x
 * store stays on 2.x unless the user asks to upgrade.
 */
export function chooseRoute(input: RouteInput): Route {
  const serverMajor = input.serverVersion !== undefined ? majorOf(input.serverVersion) : undefined;
  if (serverMajor !== undefined && serverMajor !== 2 && serverMajor !== 3) {
    throw new PatternDbError('E_USAGE', `The target runs SurrealDB ${input.serverVersion}; pattern-db moves data into SurrealDB 2.x or 3.x servers.`, {
      fix: 'Point --target at a SurrealDB 2.x server (what Pattern of the SurrealDB era talks to) or a 3.x server.',
    });
  }
  if (input.requested !== undefined && serverMajor !== undefined && input.requested !== serverMajor) {
    throw new PatternDbError('E_USAGE', `--target-version ${input.requested} asks for SurrealDB ${input.requested}, but ${input.serverUrl ?? 'the target'} runs SurrealDB ${input.serverVersion}.`, {
      fix: `Drop --target-version (the server decides), or point --target at a SurrealDB ${input.requested}.x server, or use --start-server for a new one.`,
    });
  }
  const target = (input.requested ?? serverMajor ?? input.storeMajor) as Major;
  if (input.storeMajor === 3 && target === 2) {
    throw new PatternDbError('E_USAGE', `This store was written by SurrealDB 3; a SurrealDB 2 server cannot load its export.`, {
      fix: serverMajor === 2
        ? 'Use a SurrealDB 3 server as the target (or --start-server, which starts one).'
        : 'Drop --target-version 2: a SurrealDB 3 store goes to a SurrealDB 3 server.',
    });
  }
  return { source: input.storeMajor, target };
}

export function isUpgrade(route: Route): boolean {
  return route.source === 2 && route.target === 3;
}

/** One line for plans and summaries. */
export function routeTitle(route: Route): string {
  if (isUpgrade(route)) return 'upgrade to SurrealDB 3 (store written by 2.x, server 3.x)';
  return route.target === 2 ? 'stay on SurrealDB 2 (store and server 2.x)' : 'SurrealDB 3 (store and server 3.x)';
}

/** What the route does, and what it means for the Pattern that will connect afterwards. */
export function routeConsequence(route: Route): string {
  if (isUpgrade(route)) {
    return (
      'The 2.x surreal exports the store in SurrealDB 3 syntax (--v3); statements 3.x refuses are repaired and listed; ' +
      'the 3.x surreal validates the file before it is imported. Pattern releases of the SurrealDB era embed the Rust ' +
      'SDK 2.3, which refuses 3.x servers: such a Pattern cannot connect afterwards; only a Pattern built with a 3.x SDK can.'
    );
  }
  if (route.target === 2) {
    return 'The 2.x surreal exports the store and a 2.x server receives it, unchanged. Pattern (SDK 2.3) connects to it as it is.';
  }
  return (
    'The store and the server are both SurrealDB 3. Pattern releases of the SurrealDB era embed the Rust SDK 2.3, which ' +
    'refuses 3.x servers; run a Pattern build whose SurrealDB SDK is 3.x against this server.'
  );
}

/** The route's consequence for Pattern in a few words, for a choice in a list. */
export function routeHint(route: Route): string {
  if (route.target === 2) return 'Pattern connects as it is';
  return 'only a Pattern built with a SurrealDB 3 SDK can connect';
}

/** What an upgrade does to the data, under the question that offers it (fits 80 columns). */
export const UPGRADE_NOTE = 'An upgrade exports with --v3, repairs what 3.x refuses, validates the file.';

const PATTERN_SDK_REFUSES = 'Pattern releases of the SurrealDB era embed the Rust SDK 2.3, which refuses 3.x servers';

const PATTERN_SDK = 'W_PATTERN_SDK';

/** What the choice of SurrealDB 3 warns of, where the route is chosen (before it is). */
export const UPGRADE_WARNING = { code: PATTERN_SDK, message: `SurrealDB 3: ${PATTERN_SDK_REFUSES}.` };

export interface RouteWarning {
  code: string;
  message: string;
  fix: string;
}

/** The warning a route carries for the Pattern that connects afterwards; preflight reports it, the wizard shows it where the route is chosen. */
export function routeWarning(route: Route): RouteWarning | undefined {
  if (route.target !== 3) return undefined;
  return {
    code: PATTERN_SDK,
    message: `${PATTERN_SDK_REFUSES}; the data goes to a SurrealDB 3 server.`,
    fix: route.source === 2
      ? 'To keep Pattern as it is, stay on SurrealDB 2: --target-version 2 (or a 2.x --target). Otherwise run a Pattern build whose SurrealDB SDK is 3.x.'
      : 'Run a Pattern build whose SurrealDB SDK is 3.x against this server.',
  };
}
