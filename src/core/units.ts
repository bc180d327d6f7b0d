/**
 * Wind speed units: the one place hazetrace converts them and reads their names (docs/wind.md "Units").
 * Every reader, option and CLI flag that takes a wind speed unit goes through {@link parseSpeedUnit} and
 * {@link toMetresPerSecond}, so `km/h`, `kmh` and `kph` mean the same everywhere.
 */
import { HazetraceError, argError, showValue } from './errors.js';

/** A wind speed unit: metres per second, kilometres per hour, knots (nautical miles per hour) or miles per hour. */
export type SpeedUnit = 'm/s' | 'km/h' | 'knots' | 'mph';

/**
 * Metres per second in one of each {@link SpeedUnit}: `km/h` 1/3.6, `knots` 1852/3600 (the international
 * nautical mile), `mph` 0.44704 (the international mile, 1609.344 m, per hour).
 *
 * @example
 * ```ts
 * import { SPEED_UNIT_MS } from 'hazetrace/core';
 * SPEED_UNIT_MS.knots; // 0.5144444444444445
 * ```
 */
export const SPEED_UNIT_MS: Readonly<Record<SpeedUnit, number>> = Object.freeze({
  'm/s': 1,
  'km/h': 1 / 3.6,
  knots: 1852 / 3600,
  mph: 1609.344 / 3600,
});

/** Spellings accepted for each unit (lower case, spaces removed). */
const ALIASES: Readonly<Record<string, SpeedUnit>> = {
  'm/s': 'm/s',
  ms: 'm/s',
  'ms-1': 'm/s',
  'm.s-1': 'm/s',
  'ms^-1': 'm/s',
  mps: 'm/s',
  'metres/second': 'm/s',
  'meters/second': 'm/s',
  'km/h': 'km/h',
  kmh: 'km/h',
  kph: 'km/h',
  'km/hr': 'km/h',
  'kmh-1': 'km/h',
  'km.h-1': 'km/h',
  knots: 'knots',
  knot: 'knots',
  kt: 'knots',
  kts: 'knots',
  kn: 'knots',
  mph: 'mph',
  'mi/h': 'mph',
  'miles/hour': 'mph',
};

/**
 * The unit a name means, or `null` when it names none: `m/s` (`ms`, `m s-1`, `mps`), `km/h` (`kmh`, `kph`),
 * `knots` (`kt`, `kts`, `kn`), `mph` (`mi/h`). Case and spaces are ignored.
 *
 * @example
 * ```ts
 * import { speedUnitOf } from 'hazetrace/core';
 * speedUnitOf('KPH'); // 'km/h'
 * speedUnitOf('furlongs'); // null
 * ```
 */
export function speedUnitOf(name: string): SpeedUnit | null {
  if (typeof name !== 'string') return null;
  const key = name.trim().toLowerCase().replace(/\s+/g, '');
  return ALIASES[key] ?? null;
}

/**
 * Read a speed unit name (see {@link speedUnitOf} for the spellings); throws `E_ARG` naming the accepted units
 * when it is not one. `argument` names the option in the error (default `speedUnit`).
 *
 * @example
 * ```ts
 * import { parseSpeedUnit } from 'hazetrace/core';
 * parseSpeedUnit('kt'); // 'knots'
 * ```
 */
export function parseSpeedUnit(name: unknown, argument = 'speedUnit'): SpeedUnit {
  const u = typeof name === 'string' ? speedUnitOf(name) : null;
  if (u === null) throw argError(argument, name, 'a wind speed unit: "m/s", "km/h", "knots" or "mph"');
  return u;
}

/**
 * Convert a speed (or a u/v component) from `unit` to m/s. Default unit `m/s`. Throws `E_ARG` for an unknown unit
 * or a value that is not a number.
 *
 * @example
 * ```ts
 * import { toMetresPerSecond } from 'hazetrace/core';
 * toMetresPerSecond(36, 'km/h'); // 10
 * ```
 */
export function toMetresPerSecond(value: number, unit: SpeedUnit | string = 'm/s'): number {
  if (typeof value !== 'number') throw argError('value', value, 'a number');
  return value * SPEED_UNIT_MS[parseSpeedUnit(unit, 'unit')];
}

/**
 * Convert a speed from m/s to `unit`. Throws `E_ARG` for an unknown unit or a value that is not a number.
 *
 * @example
 * ```ts
 * import { fromMetresPerSecond } from 'hazetrace/core';
 * fromMetresPerSecond(10, 'km/h'); // 36
 * ```
 */
export function fromMetresPerSecond(value: number, unit: SpeedUnit | string = 'm/s'): number {
  if (typeof value !== 'number') throw argError('value', value, 'a number');
  return value / SPEED_UNIT_MS[parseSpeedUnit(unit, 'unit')];
}

/**
 * The unit a column header names in its suffix, e.g. `wind_speed_kmh` → `km/h`, `ws_kt` → `knots`,
 * `wind_speed_ms` → `m/s`, `wind_speed (mph)` → `mph`; `null` when the header names no unit.
 *
 * @example
 * ```ts
 * import { speedUnitFromHeader } from 'hazetrace/core';
 * speedUnitFromHeader('wind_speed_kmh'); // 'km/h'
 * speedUnitFromHeader('wind_speed'); // null
 * ```
 */
export function speedUnitFromHeader(header: string): SpeedUnit | null {
  if (typeof header !== 'string') return null;
  const h = header.trim().toLowerCase();
  const paren = /[([]\s*([^)\]]+?)\s*[)\]]\s*$/.exec(h);
  if (paren) return speedUnitOf(paren[1]!);
  const m = /[_\s-]([a-z/.^\-0-9]+)$/.exec(h);
  if (!m) return null;
  return speedUnitOf(m[1]!);
}

/**
 * Throw `E_ARG` when a declared unit and the unit a header names disagree (e.g. `speedUnit: 'm/s'` on a
 * `wind_speed_kmh` column); returns the unit to use: the declared one, else the header's, else `m/s`.
 *
 * @example
 * ```ts
 * import { resolveSpeedUnit } from 'hazetrace/core';
 * resolveSpeedUnit(undefined, 'wind_speed_kmh'); // 'km/h'
 * resolveSpeedUnit('knots', 'wind_speed'); // 'knots'
 * ```
 */
export function resolveSpeedUnit(declared: SpeedUnit | string | undefined, header: string): SpeedUnit {
  const fromHeader = speedUnitFromHeader(header);
  if (declared === undefined) return fromHeader ?? 'm/s';
  const d = parseSpeedUnit(declared);
  if (fromHeader !== null && fromHeader !== d) {
    throw new HazetraceError('E_ARG', `speedUnit ${showValue(d)} contradicts column ${showValue(header)}, which says ${fromHeader}`, {
      argument: 'speedUnit',
      value: d,
    });
  }
  return d;
}
