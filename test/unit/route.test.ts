import { describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { chooseRoute, isUpgrade, routeConsequence, routeWarning } from '../../src/core/route.js';

describe('chooseRoute', () => {
  it('keeps a SurrealDB 2 store on 2.x unless asked, and follows an existing server', () => {
    expect(chooseRoute({ storeMajor: 2 })).toEqual({ source: 2, target: 2 });
    expect(chooseRoute({ storeMajor: 2, requested: 3 })).toEqual({ source: 2, target: 3 });
    expect(chooseRoute({ storeMajor: 2, serverVersion: '3.3.5' })).toEqual({ source: 2, target: 3 });
    expect(chooseRoute({ storeMajor: 2, serverVersion: '2.6.5', requested: 2 })).toEqual({ source: 2, target: 2 });
    expect(chooseRoute({ storeMajor: 3, serverVersion: '3.0.5' })).toEqual({ source: 3, target: 3 });
  });

  it('refuses a route that cannot work, saying what to do instead', () => {
    const refused = (input: Parameters<typeof chooseRoute>[0]) => {
      try {
        chooseRoute(input);
      } catch (error) {
        return error as PatternDbError;
      }
      throw new Error('not refused');
    };
    expect(refused({ storeMajor: 3, requested: 2 }).fix).toContain('Drop --target-version 2');
    expect(refused({ storeMajor: 3, serverVersion: '2.6.5' }).message).toContain('SurrealDB 2 server cannot load');
    const clash = refused({ storeMajor: 2, requested: 2, serverVersion: '3.3.5', serverUrl: 'http://h:8000' });
    expect(clash.code).toBe('E_USAGE');
    expect(clash.message).toContain('http://h:8000 runs SurrealDB 3.3.5');
    expect(refused({ storeMajor: 2, serverVersion: '4.0.0-beta.1' }).message).toContain('2.x or 3.x');
  });

  it('says plainly that an upgrade leaves an SDK-2 Pattern unable to connect', () => {
    expect(isUpgrade({ source: 2, target: 3 })).toBe(true);
    expect(routeConsequence({ source: 2, target: 3 })).toContain('cannot connect afterwards');
    expect(routeConsequence({ source: 2, target: 2 })).toContain('connects to it as it is');
  });
});

describe('routeWarning', () => {
  it('warns of the Pattern that cannot connect on every route to SurrealDB 3, and on no other', () => {
    expect(routeWarning({ source: 2, target: 2 })).toBeUndefined();
    const upgrade = routeWarning({ source: 2, target: 3 })!;
    expect(upgrade.code).toBe('W_PATTERN_SDK');
    expect(upgrade.message).toContain('refuses 3.x servers');
    expect(upgrade.fix).toContain('--target-version 2');
    expect(routeWarning({ source: 3, target: 3 })!.fix).not.toContain('--target-version 2');
  });
});
