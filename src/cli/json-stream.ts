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
