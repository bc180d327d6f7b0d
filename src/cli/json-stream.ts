/** Streaming JSON for the CLI's large output files. */

/**
 * Stream a JSON object whose one array member is long: the other members first, then the array one
 * element per line, so no single string holds the whole file (a season's output can exceed V8's
 * ~2²⁹-character string limit).
 */
export function* jsonWithLongArray(head: Record<string, unknown>, key: string, items: Iterable<unknown>, tail: Record<string, unknown> = {}): Generator<string> {
  const members = (o: Record<string, unknown>): string[] => Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  const headParts = members(head);
  yield `{${headParts.join(',')}${headParts.length ? ',' : ''}${JSON.stringify(key)}:[`;
  let first = true;
  for (const it of items) {
    yield (first ? '\n' : ',\n') + JSON.stringify(it);
    first = false;
  }
  const tailParts = members(tail);
  yield `\n]${tailParts.length ? ',' : ''}${tailParts.join(',')}}\n`;
}

/**
 * Any JSON value as text pieces: arrays and typed arrays (at any depth) are written in batches of
 * `batch` elements, objects member by member, so a value whose JSON is larger than a string may be
 * (millions of cells) can still be written. Joined and parsed, the pieces equal `JSON.parse(JSON.stringify(value))`
 * (typed arrays become arrays; NaN and ±Infinity become null, as JSON.stringify does for numbers).
 */
export function* jsonChunks(value: unknown, batch = 8192): Generator<string> {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield* jsonChunks((value as { toJSON(): unknown }).toJSON(), batch);
    return;
  }
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const a = value as ArrayLike<unknown>;
    if (a.length <= batch) {
      yield JSON.stringify(Array.isArray(a) ? a : Array.from(a));
      return;
    }
    yield '[';
    for (let i = 0; i < a.length; i += batch) {
      const part = Array.isArray(a) ? a.slice(i, i + batch) : Array.from({ length: Math.min(batch, a.length - i) }, (_, k) => a[i + k]);
      if (!part.some((x) => x !== null && typeof x === 'object')) {
        const text = JSON.stringify(part).slice(1, -1);
        if (text) yield (i === 0 ? '' : ',') + text;
        continue;
      }
      let first = true;
      for (const x of part) {
        if (x !== null && typeof x === 'object') {
          if (!(first && i === 0)) yield ',';
          yield* jsonChunks(x, batch);
        } else {
          yield (first && i === 0 ? '' : ',') + (x === undefined || typeof x === 'function' ? 'null' : JSON.stringify(x));
        }
        first = false;
      }
    }
    yield ']';
    return;
  }
  if (value !== null && typeof value === 'object') {
    yield '{';
    let first = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === 'function') continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      yield* jsonChunks(v, batch);
      first = false;
    }
    yield '}';
    return;
  }
  yield JSON.stringify(value) ?? 'null';
}
