/**
 * Request limits of `hazetrace serve`: bounded body reading (413), and a gate that bounds work running at once,
 * work waiting, and work per client (429 over the per-client share, 503 when the queue is full or the server
 * is shutting down). Waiting work leaves the queue when its client disconnects.
 */
import type { IncomingMessage } from 'node:http';

/** An HTTP error with the status and stable code the server answers with. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * Discard the rest of a refused body so the client can finish sending and read the answer; a client that
 * sends more than `max(maxBytes, 16 MiB)` beyond that has its connection cut.
 */
function drain(req: IncomingMessage, maxBytes: number): void {
  const cap = Math.max(maxBytes, 16 * 1024 * 1024);
  let n = 0;
  req.on('data', (c: Buffer) => {
    n += c.length;
    if (n > cap) req.socket.destroy();
  });
  req.resume();
}

/**
 * Read a request body into one buffer, refusing more than `maxBytes` (413 from the declared length before
 * reading, or as soon as the stream passes the limit) and stopping when `signal` aborts.
 */
export function readBody(req: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    drain(req, maxBytes);
    return Promise.reject(new HttpError(413, 'E_TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes (--max-body)`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (err) {
        drain(req, maxBytes);
        reject(err);
      } else resolve(size === 0 ? new Uint8Array() : new Uint8Array(Buffer.concat(chunks, size)));
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > maxBytes) finish(new HttpError(413, 'E_TOO_LARGE', `request body exceeds the limit of ${maxBytes} bytes (--max-body)`));
      else chunks.push(c);
    };
    const onEnd = (): void => finish(null);
    const onError = (e: Error): void => finish(e);
    const onAbort = (): void => finish(new HttpError(499, 'E_ABORTED', 'client went away while sending the body'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settings of a {@link Gate}. */
export interface GateOptions {
  /** Requests doing work at once. */
  concurrency: number;
  /** Requests waiting for a slot; beyond it: 503. */
  queue: number;
  /** Running + waiting requests of one client (remote address); beyond it: 429. */
  perClient: number;
}

/** Admission control: `enter` resolves with a release function, or rejects with 429/503. */
export class Gate {
  private running = 0;
  private readonly waiting: { client: string; go: () => void; fail: (e: Error) => void }[] = [];
  private readonly perClient = new Map<string, number>();
  closed = false;
  constructor(readonly options: GateOptions) {}

  /** Requests running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async enter(client: string, signal: AbortSignal): Promise<() => void> {
    if (this.closed) throw new HttpError(503, 'E_SHUTTING_DOWN', 'the server is shutting down', { 'retry-after': '5', connection: 'close' });
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.options.perClient) throw new HttpError(429, 'E_RATE', `more than ${this.options.perClient} requests at once from this client`, { 'retry-after': '1' });
    if (this.running >= this.options.concurrency && this.waiting.length >= this.options.queue) {
      throw new HttpError(503, 'E_BUSY', `server saturated: ${this.running} running, ${this.waiting.length} waiting`, { 'retry-after': '1' });
    }
    this.perClient.set(client, mine + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const n = (this.perClient.get(client) ?? 1) - 1;
      if (n <= 0) this.perClient.delete(client);
      else this.perClient.set(client, n);
      this.running--;
      const next = this.waiting.shift();
      if (next) next.go();
    };
    if (this.running < this.options.concurrency) {
      this.running++;
      return release;
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        client,
        go: () => {
          signal.removeEventListener('abort', onAbort);
          this.running++;
          resolve();
        },
        fail: reject,
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        const n = (this.perClient.get(client) ?? 1) - 1;
        if (n <= 0) this.perClient.delete(client);
        else this.perClient.set(client, n);
        reject(new HttpError(499, 'E_ABORTED', 'client went away while waiting'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
    return release;
  }

  /** Refuse new work and fail everything still waiting with 503. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.fail(new HttpError(503, 'E_SHUTTING_DOWN', 'the server is shutting down', { connection: 'close' }));
  }
}
