// A proxy in front of a real server whose POST /export answers 200 and then ends after `bytes`, as an export that
// fails part-way does (the server drops the error once the 200 is sent); every other request passes through.
import http from 'node:http';

export async function cutExportProxy(serverUrl: string, bytes = 6000): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(serverUrl);
  const proxy = http.createServer((req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (req.url !== '/export') return void answer.pipe(res);
      let sent = 0;
      answer.on('data', (chunk: Buffer) => {
        if (sent >= bytes) return;
        res.write(chunk.subarray(0, bytes - sent));
        sent += chunk.length;
        if (sent >= bytes) res.end();
      });
      answer.on('end', () => res.end());
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}
