/**
 * Argument checks shared by the exported functions of hazetrace/attribution (internal, not re-exported).
 */
import { checkShape } from '../core/check.js';
import type { SourceLayer } from './source-layer.js';

/** Assert `value` looks like a SourceLayer (the columns every consumer reads); returns it. */
export function checkSourceLayer(argument: string, value: unknown): SourceLayer {
  return checkShape<SourceLayer>(argument, value, {
    length: 'number',
    kinds: 'array',
    id: 'array',
    category: 'array',
    region: 'array',
    regions: 'object',
    weight: 'arrayLike',
    lng: 'arrayLike',
    lat: 'arrayLike',
    time: 'arrayLike',
    extra: 'object',
  });
}

/** Assert `value` has an `episodes` array of objects (a series or attribution result); returns it. */
export function checkEpisodesResult<T>(argument: string, value: unknown): T {
  const r = checkShape<{ episodes: unknown[] }>(argument, value, { episodes: 'array' });
  r.episodes.forEach((e, i) => checkShape(`${argument}.episodes[${i}]`, e, {}));
  return value as T;
}
