/**
 * A throwaway redis-server on a free loopback port, for the batch queue's integration tests and bench/scale.ts:
 * no persistence, waited for until it answers PING (up to 5 s). The caller kills it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound once, then released). */
export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

/** Start redis-server on 127.0.0.1 and wait until it answers. */
export async function startRedis(): Promise<{ port: number; redis: ChildProcess }> {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, redis };
}
