/**
 * A loopback TCP proxy for network-fault tests: `cut()` resets every connection and refuses new
 * ones until `restore()`; `freeze()` keeps the current connections open but stops carrying bytes
 * (a half-open link: no reset ever arrives), while new connections work normally.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The target's URL scheme with the proxy's address, e.g. redis://127.0.0.1:PORT. */
  url(scheme: string): string;
  cut(): void;
  restore(): void;
  freeze(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const frozen = new Set<[Socket, Socket]>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const s of pair) s.on('error', () => undefined);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      if (frozen.has(pair)) return; // a frozen link never reports anything
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const destroyAll = () => {
    for (const [a, b] of [...pairs, ...frozen]) {
      a.destroy();
      b.destroy();
    }
  };
  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    cut() {
      open = false;
      destroyAll();
    },
    restore() {
      open = true;
    },
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        frozen.add([client, upstream]);
      }
      pairs.clear();
    },
    close() {
      destroyAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
