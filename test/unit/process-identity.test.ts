import { expect, it } from 'vitest';
import { isSameProcess } from '../../src/surreal/process-identity.js';

const server = { exe: '/root/.cache/pattern-db/surreal-x/surreal', startTime: '4381718' };

// Seen as a flaky "Process N is no longer the server pattern-db started" when a test stopped a server it had just
// SIGKILLed: between the kill and the zombie, /proc/N/exe is unreadable while the start tick is the server's.
it('a process being torn down, whose executable is unreadable, is still the recorded one by its start tick', () => {
  expect(isSameProcess(server, server)).toBe(true);
  expect(isSameProcess({ ...server, exe: '(unreadable)' }, server)).toBe(true);
  expect(isSameProcess({ ...server, exe: '(unreadable)', startTime: '4381719' }, server)).toBe(false);
  expect(isSameProcess({ ...server, exe: '/usr/bin/python3' }, server)).toBe(false);
});
