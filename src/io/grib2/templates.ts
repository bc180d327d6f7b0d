/**
 * GRIB2 section templates hazetrace reads: grid definition templates 3.0 (regular latitude/longitude) and 3.40
 * (regular Gaussian), product definition templates 4.0, 4.1, 4.8 and 4.11, and the names of the parameters and
 * levels the wind module uses (after ecCodes' short names). WMO Manual on Codes, FM 92 GRIB edition 2. Browser-safe.
 */
import { HazetraceError } from '../../core/errors.js';
import { sint, uint } from './bits.js';

/** Error naming the GRIB2 section (and template) at fault. */
export function sectionError(section: number, what: string, details: Record<string, unknown> = {}): HazetraceError {
  const names = ['indicator', 'identification', 'local use', 'grid definition', 'product definition', 'data representation', 'bitmap', 'data', 'end'];
  return new HazetraceError('E_FORMAT', `GRIB2 section ${section} (${names[section] ?? '?'}): ${what}`, { section, ...details });
}

/** The horizontal grid of a GRIB2 message (section 3). */
export interface Grib2Grid {
  /** Grid definition template number: 0 (regular lat/lon) or 40 (regular Gaussian). */
  template: number;
  /** Points along a parallel (columns). */
  nx: number;
  /** Points along a meridian (rows). */
  ny: number;
  /** Longitude of column 0 (the westernmost), degrees in [-180, 180). */
  west: number;
  /** Longitude step between columns, degrees (> 0). */
  dLng: number;
  /** Latitude of row 0 (the southernmost), degrees. */
  south: number;
  /** Latitude step between rows, degrees (> 0); for a Gaussian grid, the mean spacing (see `lats`). */
  dLat: number;
  /** Latitude of every row, south to north, degrees. Regular for template 0, Gaussian latitudes for template 40. */
  lats: Float64Array;
  /** True when the columns go round the globe (`nx·dLng = 360`). */
  global: boolean;
  /** Scanning mode flags (code table 3.4) as stored: 0x80 i negative, 0x40 j positive, 0x20 j consecutive, 0x10 boustrophedon. */
  scanningMode: number;
  /** Shape of the earth (code table 3.2). */
  shapeOfEarth: number;
}

/** Gaussian latitudes (degrees, north to south) of a grid with `2n` parallels: roots of the Legendre polynomial P_2n. */
export function gaussianLatitudes(n: number): Float64Array {
  const nlat = 2 * n;
  const out = new Float64Array(nlat);
  for (let i = 0; i < n; i++) {
    // initial guess (Abramowitz & Stegun 22.16.6), then Newton on P_nlat(x)
    let x = Math.cos((Math.PI * (i + 0.75)) / (nlat + 0.5));
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= nlat; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const dp = (nlat * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    const lat = (Math.asin(x) * 180) / Math.PI;
    out[i] = lat;
    out[nlat - 1 - i] = -lat;
  }
  return out;
}

const MISSING4 = 0xffffffff;

/** Parse section 3 (`s` is the section's bytes, from its length octets). */
export function parseGrid(s: Uint8Array, numberOfPoints: number): Grib2Grid {
  if (s.length < 14) throw sectionError(3, `section is ${s.length} bytes, shorter than its 14-byte header`);
  const source = s[5]!;
  const optionalListOctets = s[10]!;
  const template = uint(s, 12, 2);
  if (source !== 0) throw sectionError(3, `grid defined by source ${source} (predetermined grid) is not supported`, { template });
  if (template !== 0 && template !== 40) {
    const what = { 1: 'rotated latitude/longitude', 10: 'Mercator', 20: 'polar stereographic', 30: 'Lambert conformal', 50: 'spherical harmonics', 90: 'space view', 101: 'unstructured' }[template];
    throw sectionError(3, `grid definition template 3.${template}${what ? ` (${what})` : ''} is not supported; hazetrace reads 3.0 (regular lat/lon) and 3.40 (regular Gaussian)`, { template });
  }
  if (s.length < 72) throw sectionError(3, `template 3.${template} needs 72 bytes, section has ${s.length}`, { template });
  if (optionalListOctets !== 0) throw sectionError(3, `template 3.${template} with a list of numbers of points per row (a reduced grid) is not supported`, { template });
  const shapeOfEarth = s[14]!;
  const ni = uint(s, 30, 4);
  const nj = uint(s, 34, 4);
  if (ni === MISSING4 || nj === MISSING4 || ni < 1 || nj < 1) throw sectionError(3, `template 3.${template} has Ni=${ni}, Nj=${nj}: a reduced or empty grid is not supported`, { template });
  if (ni * nj !== numberOfPoints) throw sectionError(3, `template 3.${template}: Ni·Nj = ${ni}·${nj} differs from the number of data points ${numberOfPoints}`, { template });
  const basicAngle = uint(s, 38, 4);
  const subdiv = uint(s, 42, 4);
  const unit = basicAngle === 0 || basicAngle === MISSING4 || subdiv === MISSING4 || subdiv === 0 ? 1e-6 : basicAngle / subdiv;
  const la1 = sint(s, 46, 4) * unit;
  const lo1 = sint(s, 50, 4) * unit;
  const flags = s[54]!;
  const la2 = sint(s, 55, 4) * unit;
  const lo2 = sint(s, 59, 4) * unit;
  const diRaw = uint(s, 63, 4);
  const djRaw = uint(s, 67, 4); // template 40: N, the number of parallels between a pole and the equator
  const scan = s[71]!;
  if (scan & 0x0f) throw sectionError(3, `template 3.${template}: scanning mode 0x${scan.toString(16)} (offset rows) is not supported`, { template, scanningMode: scan });
  const iNeg = (scan & 0x80) !== 0;
  const jPos = (scan & 0x40) !== 0;
  // longitudes: the span from the first to the last point in the scanning direction, modulo 360
  let span = iNeg ? lo1 - lo2 : lo2 - lo1;
  span = ((span % 360) + 360) % 360;
  let dLng: number;
  if (ni === 1) dLng = diRaw !== MISSING4 && flags & 0x20 ? diRaw * unit : 1;
  else if (diRaw !== MISSING4 && flags & 0x20 && diRaw > 0) {
    dLng = diRaw * unit;
    // the stored increment is rounded to 1e-6 degree: prefer the exact span when it agrees
    if (Math.abs(span / (ni - 1) - dLng) < 1e-3 * dLng) dLng = span / (ni - 1);
  } else dLng = span / (ni - 1);
  if (!(dLng > 0)) throw sectionError(3, `template 3.${template}: longitude increment is not positive (first ${lo1}, last ${lo2}, Ni ${ni})`, { template });
  let westRaw = iNeg ? lo1 - (ni - 1) * dLng : lo1;
  westRaw = ((westRaw % 360) + 360) % 360;
  const west = westRaw >= 180 - 1e-9 ? westRaw - 360 : westRaw;
  const global = Math.abs(ni * dLng - 360) < dLng * 1e-3;
  let lats: Float64Array;
  let south: number;
  let dLat: number;
  if (template === 0) {
    const djDeg = djRaw !== MISSING4 && flags & 0x10 && djRaw > 0 ? djRaw * unit : nj > 1 ? Math.abs(la2 - la1) / (nj - 1) : 1;
    dLat = nj > 1 && Math.abs(Math.abs(la2 - la1) / (nj - 1) - djDeg) < 1e-3 * djDeg ? Math.abs(la2 - la1) / (nj - 1) : djDeg;
    south = jPos ? la1 : la1 - (nj - 1) * dLat;
    lats = new Float64Array(nj);
    for (let r = 0; r < nj; r++) lats[r] = south + r * dLat;
  } else {
    const n = djRaw;
    if (!(n > 0 && n < 100000)) throw sectionError(3, `template 3.40: number of parallels between pole and equator N=${n} is invalid`, { template });
    const all = gaussianLatitudes(n); // north → south
    const north = jPos ? la2 : la1;
    // first row: the Gaussian latitude nearest the northernmost latitude of the grid
    let k0 = 0;
    for (let k = 1; k < all.length; k++) if (Math.abs(all[k]! - north) < Math.abs(all[k0]! - north)) k0 = k;
    if (k0 + nj > all.length) throw sectionError(3, `template 3.40: ${nj} rows from latitude ${north} exceed the ${all.length} Gaussian latitudes of N=${n}`, { template });
    lats = new Float64Array(nj);
    for (let r = 0; r < nj; r++) lats[r] = all[k0 + nj - 1 - r]!;
    south = lats[0]!;
    dLat = nj > 1 ? (lats[nj - 1]! - lats[0]!) / (nj - 1) : 180 / (2 * n);
  }
  if (!(Math.abs(south) <= 90 + 1e-6) || !(Math.abs(lats[nj - 1]!) <= 90 + 1e-6)) throw sectionError(3, `template 3.${template}: latitudes ${south}..${lats[nj - 1]} are beyond ±90`, { template });
  return { template, nx: ni, ny: nj, west, dLng, south, dLat, lats, global, scanningMode: scan, shapeOfEarth };
}

/**
 * Index map from the message's scanning order to hazetrace's layout (row 0 southernmost, columns eastward):
 * `out[dst[k]] = decoded[k]`. Returns null when the scan is already that layout (never for GRIB's usual
 * north→south order).
 */
export function scanToLayout(g: Grib2Grid): Int32Array | null {
  const { nx, ny, scanningMode: scan } = g;
  const iNeg = (scan & 0x80) !== 0;
  const jPos = (scan & 0x40) !== 0;
  const jCons = (scan & 0x20) !== 0;
  const boustro = (scan & 0x10) !== 0;
  if (!iNeg && jPos && !jCons && !boustro) return null;
  const dst = new Int32Array(nx * ny);
  let k = 0;
  if (!jCons) {
    for (let jj = 0; jj < ny; jj++) {
      const row = jPos ? jj : ny - 1 - jj;
      const flip = boustro && jj % 2 === 1;
      for (let ii = 0; ii < nx; ii++) {
        const i = flip ? nx - 1 - ii : ii;
        const col = iNeg ? nx - 1 - i : i;
        dst[k++] = row * nx + col;
      }
    }
  } else {
    for (let ii = 0; ii < nx; ii++) {
      const col = iNeg ? nx - 1 - ii : ii;
      const flip = boustro && ii % 2 === 1;
      for (let jj = 0; jj < ny; jj++) {
        const j = flip ? ny - 1 - jj : jj;
        const row = jPos ? j : ny - 1 - j;
        dst[k++] = row * nx + col;
      }
    }
  }
  return dst;
}

/** A fixed surface (code table 4.5) with its value in SI units (Pa for isobaric levels, m for heights). */
export interface Grib2Level {
  /** Code table 4.5 number, e.g. 1 ground or water surface, 100 isobaric, 101 mean sea level, 103 height above ground. */
  type: number;
  /** Name after ecCodes' `typeOfLevel` where known (`isobaric` for 100, in Pa), else `type<N>`. */
  name: string;
  /** Scaled value (Pa for isobaric, m for heights, ...); null when the message marks it missing. */
  value: number | null;
}

const LEVEL_NAMES: Record<number, string> = {
  1: 'surface', 2: 'cloudBase', 3: 'cloudTop', 4: 'isothermZero', 6: 'maxWind', 7: 'tropopause', 8: 'nominalTop',
  10: 'entireAtmosphere', 100: 'isobaric', 101: 'meanSea', 102: 'heightAboveSea', 103: 'heightAboveGround',
  104: 'sigma', 105: 'hybrid', 106: 'depthBelowLand', 107: 'theta', 108: 'pressureFromGround', 111: 'eta',
  150: 'generalVertical', 160: 'depthBelowSea', 200: 'entireAtmosphere', 220: 'planetaryBoundaryLayer',
};

function level(s: Uint8Array, at: number): Grib2Level | null {
  const type = s[at]!;
  if (type === 255) return null;
  const sf = s[at + 1]!;
  const sv = uint(s, at + 2, 4);
  const value = sf === 0xff || sv === MISSING4 ? null : sint(s, at + 2, 4) * 10 ** -((sf & 0x80 ? -1 : 1) * (sf & 0x7f));
  return { type, name: LEVEL_NAMES[type] ?? `type${type}`, value: value === null ? null : Number(value.toPrecision(12)) };
}

/** Hours per unit of code table 4.4 (null: months, years, ... which have no fixed length). */
export function unitHours(u: number): number | null {
  const h: Record<number, number> = { 0: 1 / 60, 1: 1, 2: 24, 10: 3, 11: 6, 12: 12, 13: 1 / 3600 };
  return h[u] ?? null;
}

/** What section 4 says about the product. */
export interface Grib2Product {
  template: number;
  category: number;
  number: number;
  /** Forecast time of the product (start of the statistical interval for 4.8/4.11), hours after the reference time. */
  forecastHours: number;
  /** For templates 4.8/4.11: the interval the statistic covers, hours after the reference time. */
  interval?: { startHours: number; endHours: number; statistic: number };
  level: Grib2Level | null;
  level2: Grib2Level | null;
  /** Ensemble member (templates 4.1/4.11): type (code table 4.6) and perturbation number. */
  ensemble?: { type: number; perturbation: number; size: number };
}

const PDT_SUPPORTED = [0, 1, 8, 11];

/** Parse section 4. */
export function parseProduct(s: Uint8Array): Grib2Product {
  if (s.length < 9) throw sectionError(4, `section is ${s.length} bytes, shorter than its 9-byte header`);
  const template = uint(s, 7, 2);
  if (!PDT_SUPPORTED.includes(template)) {
    throw sectionError(4, `product definition template 4.${template} is not supported; hazetrace reads 4.0, 4.1, 4.8 and 4.11`, { template });
  }
  const need = { 0: 34, 1: 37, 8: 58, 11: 61 }[template]!;
  if (s.length < need) throw sectionError(4, `template 4.${template} needs ${need} bytes, section has ${s.length}`, { template });
  const category = s[9]!;
  const number = s[10]!;
  const unit = s[17]!;
  const perUnit = unitHours(unit);
  if (perUnit === null) throw sectionError(4, `template 4.${template}: time unit ${unit} (code table 4.4) is not supported`, { template });
  const forecastHours = sint(s, 18, 4) * perUnit;
  const out: Grib2Product = { template, category, number, forecastHours, level: level(s, 22), level2: level(s, 28) };
  let at = 34;
  if (template === 1 || template === 11) {
    out.ensemble = { type: s[34]!, perturbation: s[35]!, size: s[36]! };
    at = 37;
  }
  if (template === 8 || template === 11) {
    // at+0..6 end of interval, +7 number of time ranges, +8..11 missing values, then the first time range
    const nRanges = s[at + 7]!;
    if (nRanges < 1) throw sectionError(4, `template 4.${template}: no time range specification`, { template });
    const statistic = s[at + 12]!;
    const rUnit = s[at + 14]!;
    const rHours = unitHours(rUnit);
    if (rHours === null) throw sectionError(4, `template 4.${template}: time-range unit ${rUnit} is not supported`, { template });
    const length = uint(s, at + 15, 4) * rHours;
    out.interval = { startHours: forecastHours, endHours: forecastHours + length, statistic };
  }
  return out;
}

/**
 * ecCodes-style short name for the parameters hazetrace uses (WMO code table 4.2, discipline 0 and 2), or
 * `undefined`. Level-dependent names follow ecCodes (`10u`, `2t`, `orog` for geopotential height at the surface).
 */
export function shortName(discipline: number, category: number, number: number, lvl: Grib2Level | null, centre: number, accumulated = false): string | undefined {
  const t = lvl?.type ?? -1;
  const v = lvl?.value;
  if (discipline === 0) {
    const key = `${category}.${number}`;
    switch (key) {
      case '2.2': return t === 103 && v === 10 ? '10u' : t === 103 && v === 100 ? '100u' : 'u';
      case '2.3': return t === 103 && v === 10 ? '10v' : t === 103 && v === 100 ? '100v' : 'v';
      case '2.8': return 'w';
      case '2.9': return 'wz';
      case '3.5': return t === 1 ? 'orog' : 'gh';
      case '3.4': return 'z';
      case '3.0': return t === 1 ? 'sp' : t === 101 ? 'msl' : 'pres';
      case '3.1': return 'prmsl';
      case '3.18': return 'blh';
      case '19.3': return 'mld';
      case '0.0': return t === 103 && v === 2 ? '2t' : 't';
      case '1.1': return t === 103 && v === 2 ? '2r' : 'r';
      case '1.0': return 'q';
      case '1.7': return 'prate';
      case '1.8': return 'tp';
      case '1.52': return accumulated ? 'tp' : 'tprate';
      case '1.193': return centre === 98 ? 'tp' : undefined;
      default: return undefined;
    }
  }
  if (discipline === 2 && category === 0 && number === 7) return 'orog';
  return undefined;
}
