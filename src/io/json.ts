/**
 * JSON views of columnar results: typed arrays become plain arrays (JSON.stringify would otherwise
 * write a Float64Array as {"0":..,"1":..}), NaN becomes null (JSON has no NaN).
 */
import { withDepthGuard } from '../core/check.js';

/**
 * Copy an object of columns into plain JSON-safe values (typed arrays → arrays, NaN/±Infinity → null).
 *
 * @example
 * ```ts
 * import { columnarToJSON } from 'hazetrace/io';
 * columnarToJSON({ pm25: new Float64Array([12.5, NaN]) }); // { pm25: [12.5, null] }
 * ```
 */
export function columnarToJSON(value: unknown): unknown {
  return withDepthGuard('value', () => columnarToJsonInner(value));
}

function columnarToJsonInner(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as ArrayLike<number>;
    const out = new Array<number | null>(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      out[i] = Number.isFinite(v) ? v : null;
    }
    return out;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((v) => columnarToJsonInner(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = columnarToJsonInner(v);
    return out;
  }
  return value;
}
