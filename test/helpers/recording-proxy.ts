// A proxy in front of a real server that passes every byte through unchanged and notes, per request, the encoding the
// client asked for and the one the server answered with.
import http from 'node:http';

export interface Exchange {
  method: string;
  path: string;
  acceptEncoding: string | undefined;
  contentEncoding: string | undefined;
}

export async function recordingProxy(serverUrl: string): Promise<{ url: string; exchanges: Exchange[]; close: () => Promise<void> }> {
  const upstream = new URL(serverUrl);
  const exchanges: Exchange[] = [];
  const proxy = http.createServer((req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      const contentEncoding = answer.headers['content-encoding'];
      exchanges.push({ method: req.method ?? '', path: req.url ?? '', acceptEncoding: req.headers['accept-encoding'], contentEncoding });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    exchanges,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}
