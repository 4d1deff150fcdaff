import net from 'node:net';
import { PatternDbError } from '../core/errors.js';

export function parseBind(bind: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(bind.trim());
  const port = Number(match?.[2]);
  if (!match || !(port > 0 && port < 65536)) {
    throw new PatternDbError('E_USAGE', `--bind ${bind} is not HOST:PORT.`, { fix: 'For example --bind 127.0.0.1:8000.' });
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** True when something accepts connections on host:port. */
export function somethingListens(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
