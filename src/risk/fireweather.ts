/**
 * Fire weather as a risk factor (docs/risk-factors.md): the Canadian Forest Fire Weather Index (FWI) System —
 * the three fuel moisture codes FFMC, DMC, DC and the three fire behaviour indices ISI, BUI, FWI — from a daily
 * series of noon (local standard time) temperature, relative humidity, wind speed and 24-hour rain, then
 * aggregated to one season value per station and put on H3 cells (inverse-distance weighting or nearest station).
 *
 * Equations: Van Wagner, C.E. (1987) Development and structure of the Canadian Forest Fire Weather Index System,
 * Forestry Technical Report 35 (the equation numbers below are his), as programmed in Van Wagner & Pickett (1985),
 * Forestry Technical Report 33; the day-length factors by latitude band follow Wang, Anderson & Suddaby (2015/2017),
 * Information Report NOR-X-424 (the R package cffdrs, `lat.adjust = TRUE`). Written from the equations; the test
 * reproduces the published 49-day worked example of Van Wagner & Pickett (1985) to its printed precision.
 */
import { HazetraceError, argError, checkFinite, checkInt, showValue } from '../core/errors.js';
import type { RejectedRow } from '../core/types.js';
import { parseCsvRows } from '../io/csv.js';
import { idwToCells, type IdwOptions } from '../grid/idw.js';
import { cellToLatLng, isValidCell } from 'h3-js';
import type { RiskFactorLayer, FactorLayerResult } from './layers.js';

/** Yesterday's moisture codes: the state the FWI System carries from day to day. */
export interface FwiState {
  /** Fine Fuel Moisture Code (litter, 0–101). */
  ffmc: number;
  /** Duff Moisture Code (loose organic layer, ≥ 0). */
  dmc: number;
  /** Drought Code (deep compact organic layer, ≥ 0). */
  dc: number;
}

/**
 * Standard start-up values of the moisture codes (Van Wagner 1987; Lawson & Armitage 2008): FFMC 85, DMC 6,
 * DC 15, for the first day of a season that starts after snow melt or after a long wet spell. In a tropical dry
 * season (no snow) start the series a few weeks before the months you aggregate: the codes forget the start-up
 * values (FFMC within days, DMC within weeks, DC within a couple of months).
 *
 * @example
 * ```ts
 * import { FWI_STARTUP } from 'hazetrace/risk';
 * FWI_STARTUP.dc; // 15
 * ```
 */
export const FWI_STARTUP: Readonly<FwiState> = Object.freeze({ ffmc: 85, dmc: 6, dc: 15 });

/** Effective day-length factors Le (hours) for the DMC by month, Van Wagner (1987) table for 46°N (used for latitude > 30°N). */
const LE_46N = [6.5, 7.5, 9.0, 12.8, 13.9, 13.9, 12.4, 10.9, 9.4, 8.0, 7.0, 6.0];
/** Le for 10°N < latitude ≤ 30°N (table for 20°N, Wang et al. 2015). */
const LE_20N = [7.9, 8.4, 8.9, 9.5, 9.9, 10.2, 10.1, 9.7, 9.1, 8.6, 8.1, 7.8];
/** Le for 30°S < latitude ≤ 10°S (20°S). */
const LE_20S = [10.1, 9.6, 9.1, 8.5, 8.1, 7.8, 7.9, 8.3, 8.9, 9.4, 9.9, 10.2];
/** Le for latitude ≤ 30°S (40°S). */
const LE_40S = [11.5, 10.5, 9.2, 7.9, 6.8, 6.2, 6.5, 7.4, 8.7, 10.0, 11.2, 11.8];
/** Day-length adjustment Lf for the DC by month, Van Wagner (1987), used for latitude > 20°N. */
const LF_N = [-1.6, -1.6, -1.6, 0.9, 3.8, 5.8, 6.4, 5.0, 2.4, 0.4, -1.6, -1.6];
/** Lf for latitude ≤ 20°S (the northern table shifted by six months). */
const LF_S = [6.4, 5.0, 2.4, 0.4, -1.6, -1.6, -1.6, -1.6, -1.6, 0.9, 3.8, 5.8];

/**
 * DMC effective day length Le (hours) for a month and latitude: the 46°N table of Van Wagner (1987) north of
 * 30°N (and when `lat` is undefined), the 20°N table for 10–30°N, 9 h within 10° of the equator, the 20°S table
 * for 10–30°S and the 40°S table south of 30°S (Wang et al. 2015).
 *
 * @example
 * ```ts
 * import { dmcDayLength } from 'hazetrace/risk';
 * dmcDayLength(4);        // 12.8 (April, standard 46°N table)
 * dmcDayLength(4, 18.8);  // 9.5 (April at Chiang Mai, 20°N table)
 * ```
 */
export function dmcDayLength(month: number, lat?: number): number {
  const m = checkInt('month', month, 1, 12) - 1;
  if (lat === undefined || lat > 30) return LE_46N[m]!;
  checkFinite('lat', lat);
  if (lat > 10) return LE_20N[m]!;
  if (lat > -10) return 9;
  if (lat > -30) return LE_20S[m]!;
  return LE_40S[m]!;
}

/**
 * DC day-length adjustment Lf for a month and latitude: Van Wagner's (1987) northern table north of 20°N (and when
 * `lat` is undefined), 1.4 between 20°S and 20°N, the table shifted six months south of 20°S (Wang et al. 2015).
 *
 * @example
 * ```ts
 * import { dcDayLength } from 'hazetrace/risk';
 * dcDayLength(5);       // 3.8
 * dcDayLength(5, 18.8); // 1.4
 * ```
 */
export function dcDayLength(month: number, lat?: number): number {
  const m = checkInt('month', month, 1, 12) - 1;
  if (lat === undefined || lat > 20) return LF_N[m]!;
  checkFinite('lat', lat);
  if (lat > -20) return 1.4;
  return LF_S[m]!;
}

function checkWeather(temp: number, rh: number, wind: number, rain: number): void {
  checkFinite('temp', temp);
  if (typeof rh !== 'number' || !(rh >= 0 && rh <= 100)) throw argError('rh', rh, 'a relative humidity in 0..100 %');
  if (typeof wind !== 'number' || !(wind >= 0) || !Number.isFinite(wind)) throw argError('wind', wind, 'a wind speed >= 0 km/h');
  if (typeof rain !== 'number' || !(rain >= 0) || !Number.isFinite(rain)) throw argError('rain', rain, 'a 24-h rain >= 0 mm');
}

/**
 * Today's Fine Fuel Moisture Code from yesterday's and today's noon weather (Van Wagner 1987, Eqs. 1–10).
 * Rain above 0.5 mm wets the litter (Eqs. 2–3, moisture capped at 250 %); then the litter dries towards the
 * equilibrium moisture content Ed (Eqs. 4, 6) or wets towards Ew (Eqs. 5, 7) at a rate set by humidity, wind and
 * temperature. Units: temp °C, rh %, wind km/h (10 m, noon), rain mm (24 h to noon).
 *
 * @example
 * ```ts
 * import { fineFuelMoistureCode } from 'hazetrace/risk';
 * fineFuelMoistureCode(85, 17, 42, 25, 0); // 87.69… (Van Wagner & Pickett 1985 test day 1: 87.7)
 * ```
 */
export function fineFuelMoistureCode(ffmcPrev: number, temp: number, rh: number, wind: number, rain: number): number {
  if (typeof ffmcPrev !== 'number' || !(ffmcPrev >= 0 && ffmcPrev <= 101)) throw argError('ffmcPrev', ffmcPrev, 'an FFMC in 0..101');
  checkWeather(temp, rh, wind, rain);
  // Eq. 1: litter moisture content (%) from the code.
  let mo = (147.2 * (101 - ffmcPrev)) / (59.5 + ffmcPrev);
  if (rain > 0.5) {
    const rf = rain - 0.5; // Eq. 2: canopy interception
    let add = 42.5 * rf * Math.exp(-100 / (251 - mo)) * (1 - Math.exp(-6.93 / rf)); // Eq. 3a
    if (mo > 150) add += 0.0015 * (mo - 150) ** 2 * Math.sqrt(rf); // Eq. 3b
    mo = Math.min(250, mo + add);
  }
  const humidityTerm = 0.18 * (21.1 - temp) * (1 - Math.exp(-0.115 * rh));
  const ed = 0.942 * rh ** 0.679 + 11 * Math.exp((rh - 100) / 10) + humidityTerm; // Eq. 4
  const tempFactor = 0.581 * Math.exp(0.0365 * temp);
  let m: number;
  if (mo > ed) {
    const h = rh / 100;
    const k0 = 0.424 * (1 - h ** 1.7) + 0.0694 * Math.sqrt(wind) * (1 - h ** 8); // Eq. 6a
    m = ed + (mo - ed) * 10 ** -(k0 * tempFactor); // Eqs. 6b, 8
  } else {
    const ew = 0.618 * rh ** 0.753 + 10 * Math.exp((rh - 100) / 10) + humidityTerm; // Eq. 5
    if (mo < ew) {
      const d = (100 - rh) / 100;
      const k1 = 0.424 * (1 - d ** 1.7) + 0.0694 * Math.sqrt(wind) * (1 - d ** 8); // Eq. 7a
      m = ew - (ew - mo) * 10 ** -(k1 * tempFactor); // Eqs. 7b, 9
    } else {
      m = mo;
    }
  }
  const f = (59.5 * (250 - m)) / (147.2 + m); // Eq. 10
  return Math.min(101, Math.max(0, f));
}

/**
 * Today's Duff Moisture Code (Van Wagner 1987, Eqs. 11–17). Rain above 1.5 mm wets the duff (Eqs. 11–15, with
 * the slope b depending on yesterday's DMC); drying adds 100·K with K = 1.894 (T + 1.1)(100 − H) Le · 10⁻⁶
 * (Eq. 16; T below −1.1 °C counts as −1.1). `lat` picks the day-length table ({@link dmcDayLength}); default
 * (undefined) is the standard 46°N table of the original system.
 *
 * @example
 * ```ts
 * import { duffMoistureCode } from 'hazetrace/risk';
 * duffMoistureCode(6, 17, 42, 0, 4); // 8.54… (published: 8.5)
 * ```
 */
export function duffMoistureCode(dmcPrev: number, temp: number, rh: number, rain: number, month: number, lat?: number): number {
  if (typeof dmcPrev !== 'number' || !(dmcPrev >= 0) || !Number.isFinite(dmcPrev)) throw argError('dmcPrev', dmcPrev, 'a DMC >= 0');
  checkWeather(temp, rh, 0, rain);
  const le = dmcDayLength(month, lat);
  let po = dmcPrev;
  if (rain > 1.5) {
    const re = 0.92 * rain - 1.27; // Eq. 11: effective rain
    // Eq. 12 (duff moisture content) and Eq. 15 in the form of the Van Wagner & Pickett (1985) program, which the
    // published test table was computed with: 280 / e^(0.023 P) ≈ e^(5.6348 − P/43.43); the textbook constants
    // drift ~0.04 DMC per rain day away from it.
    const mo = 20 + 280 / Math.exp(0.023 * dmcPrev);
    const b = dmcPrev <= 33 ? 100 / (0.5 + 0.3 * dmcPrev) : dmcPrev <= 65 ? 14 - 1.3 * Math.log(dmcPrev) : 6.2 * Math.log(dmcPrev) - 17.2; // Eqs. 13a–c
    const mr = mo + (1000 * re) / (48.77 + b * re); // Eq. 14
    po = Math.max(0, 43.43 * (5.6348 - Math.log(mr - 20))); // Eq. 15
  }
  const t = Math.max(temp, -1.1);
  const k = 1.894 * (t + 1.1) * (100 - rh) * le * 1e-6; // Eq. 16
  return Math.max(0, po + 100 * k); // Eq. 17
}

/**
 * Today's Drought Code (Van Wagner 1987, Eqs. 18–23). Rain above 2.8 mm recharges the moisture equivalent
 * Q = 800 e^(−D/400) (Eqs. 18–21); potential evapotranspiration V = 0.36 (T + 2.8) + Lf (Eq. 22, T below −2.8 °C
 * counts as −2.8, V ≥ 0) adds V/2 (Eq. 23). `lat` picks Lf ({@link dcDayLength}); default the northern table.
 *
 * @example
 * ```ts
 * import { droughtCode } from 'hazetrace/risk';
 * droughtCode(15, 17, 0, 4); // 19.01 (published: 19.0)
 * ```
 */
export function droughtCode(dcPrev: number, temp: number, rain: number, month: number, lat?: number): number {
  if (typeof dcPrev !== 'number' || !(dcPrev >= 0) || !Number.isFinite(dcPrev)) throw argError('dcPrev', dcPrev, 'a DC >= 0');
  checkWeather(temp, 50, 0, rain);
  const lf = dcDayLength(month, lat);
  let d0 = dcPrev;
  if (rain > 2.8) {
    const rd = 0.83 * rain - 1.27; // Eq. 18: effective rain
    const qo = 800 * Math.exp(-dcPrev / 400); // Eq. 19
    const qr = qo + 3.937 * rd; // Eq. 20
    d0 = Math.max(0, 400 * Math.log(800 / qr)); // Eq. 21
  }
  const v = Math.max(0, 0.36 * (Math.max(temp, -2.8) + 2.8) + lf); // Eq. 22
  return d0 + 0.5 * v; // Eq. 23
}

/**
 * Initial Spread Index from FFMC and wind (km/h) (Van Wagner 1987, Eqs. 24–26): R = 0.208 · e^(0.05039 W) ·
 * 91.9 e^(−0.1386 m) (1 + m^5.31 / 4.93·10⁷), m the litter moisture of the FFMC (Eq. 1).
 *
 * @example
 * ```ts
 * import { initialSpreadIndex } from 'hazetrace/risk';
 * initialSpreadIndex(87.7, 25); // ≈ 10.9
 * ```
 */
export function initialSpreadIndex(ffmc: number, wind: number): number {
  if (typeof ffmc !== 'number' || !(ffmc >= 0 && ffmc <= 101)) throw argError('ffmc', ffmc, 'an FFMC in 0..101');
  if (typeof wind !== 'number' || !(wind >= 0) || !Number.isFinite(wind)) throw argError('wind', wind, 'a wind speed >= 0 km/h');
  const m = (147.2 * (101 - ffmc)) / (59.5 + ffmc);
  const fw = Math.exp(0.05039 * wind); // Eq. 24
  const ff = 91.9 * Math.exp(-0.1386 * m) * (1 + m ** 5.31 / 4.93e7); // Eq. 25
  return 0.208 * fw * ff; // Eq. 26
}

/**
 * Buildup Index from DMC and DC (Van Wagner 1987, Eqs. 27a–b): U = 0.8 P D / (P + 0.4 D) when P ≤ 0.4 D, else
 * U = P − (1 − 0.8 D / (P + 0.4 D)) (0.92 + (0.0114 P)^1.7); never below 0.
 *
 * @example
 * ```ts
 * import { buildupIndex } from 'hazetrace/risk';
 * buildupIndex(8.5, 19.0); // ≈ 8.5
 * ```
 */
export function buildupIndex(dmc: number, dc: number): number {
  if (typeof dmc !== 'number' || !(dmc >= 0) || !Number.isFinite(dmc)) throw argError('dmc', dmc, 'a DMC >= 0');
  if (typeof dc !== 'number' || !(dc >= 0) || !Number.isFinite(dc)) throw argError('dc', dc, 'a DC >= 0');
  if (dmc === 0 && dc === 0) return 0;
  const u = dmc <= 0.4 * dc ? (0.8 * dmc * dc) / (dmc + 0.4 * dc) : dmc - (1 - (0.8 * dc) / (dmc + 0.4 * dc)) * (0.92 + (0.0114 * dmc) ** 1.7);
  return Math.max(0, u);
}

/**
 * Fire Weather Index from ISI and BUI (Van Wagner 1987, Eqs. 28–30): f(D) = 0.626 U^0.809 + 2 for U ≤ 80, else
 * 1000 / (25 + 108.64 e^(−0.023 U)); B = 0.1 R f(D); S = e^(2.72 (0.434 ln B)^0.647) when B > 1, else B.
 *
 * @example
 * ```ts
 * import { fireWeatherIndex } from 'hazetrace/risk';
 * fireWeatherIndex(10.9, 8.5); // ≈ 10.1
 * ```
 */
export function fireWeatherIndex(isi: number, bui: number): number {
  if (typeof isi !== 'number' || !(isi >= 0) || !Number.isFinite(isi)) throw argError('isi', isi, 'an ISI >= 0');
  if (typeof bui !== 'number' || !(bui >= 0) || !Number.isFinite(bui)) throw argError('bui', bui, 'a BUI >= 0');
  const fd = bui <= 80 ? 0.626 * bui ** 0.809 + 2 : 1000 / (25 + 108.64 * Math.exp(-0.023 * bui)); // Eqs. 28a, 28b
  const b = 0.1 * isi * fd; // Eq. 29
  return b > 1 ? Math.exp(2.72 * (0.434 * Math.log(b)) ** 0.647) : b; // Eqs. 30a, 30b
}

/** One day of noon weather for {@link fwiSeries}. */
export interface FwiWeatherDay {
  /** Month 1–12 (picks the day-length factors). */
  month: number;
  /** Noon air temperature, °C. */
  temp: number;
  /** Noon relative humidity, %. */
  rh: number;
  /** Noon 10-m wind speed, km/h. */
  wind: number;
  /** Rain in the 24 hours to noon, mm. */
  rain: number;
}

/** Options of {@link fwiSeries}. */
export interface FwiSeriesOptions {
  /** Codes of the day before the first day. Default {@link FWI_STARTUP} (FFMC 85, DMC 6, DC 15). */
  start?: Partial<FwiState>;
  /** Station latitude, degrees, for the day-length factors. Default undefined: the standard (46°N) tables. */
  lat?: number;
  /**
   * Index (into `days`) where the codes restart from `start`, e.g. after a gap in the record. Default none.
   * `readWeatherCsv` fills this from gaps of more than one day.
   */
  restarts?: readonly number[];
}

/** The six FWI System components per day, aligned to the input days. */
export interface FwiSeries {
  ffmc: Float64Array;
  dmc: Float64Array;
  dc: Float64Array;
  isi: Float64Array;
  bui: Float64Array;
  fwi: Float64Array;
}

/**
 * Run the FWI System over consecutive days: each day's codes start from the previous day's (unrounded), the
 * first day (and each `restarts` index) from `start`. Throws `E_ARG` naming the day and field of a bad value.
 *
 * @example
 * ```ts
 * import { fwiSeries } from 'hazetrace/risk';
 * const s = fwiSeries([{ month: 4, temp: 17, rh: 42, wind: 25, rain: 0 }, { month: 4, temp: 20, rh: 21, wind: 25, rain: 2.4 }]);
 * s.fwi[1].toFixed(1); // '9.3' (Van Wagner & Pickett 1985, April 14)
 * ```
 */
export function fwiSeries(days: readonly FwiWeatherDay[], options: FwiSeriesOptions = {}): FwiSeries {
  if (!Array.isArray(days)) throw argError('days', days, 'an array of { month, temp, rh, wind, rain }');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { start?, lat?, restarts? }');
  const start: FwiState = { ...FWI_STARTUP, ...(options.start ?? {}) };
  if (!(start.ffmc >= 0 && start.ffmc <= 101)) throw argError('start.ffmc', start.ffmc, 'an FFMC in 0..101');
  if (!(start.dmc >= 0) || !Number.isFinite(start.dmc)) throw argError('start.dmc', start.dmc, 'a DMC >= 0');
  if (!(start.dc >= 0) || !Number.isFinite(start.dc)) throw argError('start.dc', start.dc, 'a DC >= 0');
  const lat = options.lat === undefined ? undefined : checkFinite('lat', options.lat);
  if (lat !== undefined && Math.abs(lat) > 90) throw argError('lat', lat, 'a latitude in -90..90');
  const restarts = new Set(options.restarts ?? []);
  const n = days.length;
  const out: FwiSeries = {
    ffmc: new Float64Array(n),
    dmc: new Float64Array(n),
    dc: new Float64Array(n),
    isi: new Float64Array(n),
    bui: new Float64Array(n),
    fwi: new Float64Array(n),
  };
  let state = start;
  for (let i = 0; i < n; i++) {
    if (restarts.has(i)) state = start;
    const d = days[i];
    if (d === null || typeof d !== 'object') throw argError(`days[${i}]`, d, 'an object { month, temp, rh, wind, rain }');
    let ffmc: number, dmc: number, dc: number;
    try {
      ffmc = fineFuelMoistureCode(state.ffmc, d.temp, d.rh, d.wind, d.rain);
      dmc = duffMoistureCode(state.dmc, d.temp, d.rh, d.rain, d.month, lat);
      dc = droughtCode(state.dc, d.temp, d.rain, d.month, lat);
    } catch (e) {
      if (e instanceof HazetraceError) {
        const arg = String(e.details?.argument ?? '');
        throw new HazetraceError('E_ARG', `days[${i}]: ${e.message}`, { argument: `days[${i}].${arg}`, value: e.details?.value });
      }
      throw e;
    }
    const isi = initialSpreadIndex(ffmc, d.wind);
    const bui = buildupIndex(dmc, dc);
    out.ffmc[i] = ffmc;
    out.dmc[i] = dmc;
    out.dc[i] = dc;
    out.isi[i] = isi;
    out.bui[i] = bui;
    out.fwi[i] = fireWeatherIndex(isi, bui);
    state = { ffmc, dmc, dc };
  }
  return out;
}

/** One station's daily series from {@link readWeatherCsv}, in date order. */
export interface WeatherStation {
  /** `station` column value, or `''` when the file has no station column. */
  id: string;
  /** Station position (WGS84 degrees) when the file has `lng`/`lat` (or `longitude`/`latitude`) columns, else NaN. */
  lng: number;
  lat: number;
  /** ISO dates `YYYY-MM-DD`, ascending, no duplicates. */
  dates: string[];
  /** The days, aligned to `dates`. */
  days: FwiWeatherDay[];
  /** Indices in `days` that follow a gap of more than one day (the codes restart there). */
  restarts: number[];
}

/** Result of {@link readWeatherCsv}. */
export interface WeatherCsvResult {
  stations: WeatherStation[];
  /** Rows not used, with the 1-based data row, the column and the reason. */
  rejected: RejectedRow[];
}

const COLUMN_NAMES: Record<string, readonly string[]> = {
  date: ['date', 'date_local', 'day'],
  temp: ['temp_c', 'temp', 'temperature_c', 't_c'],
  rh: ['rh_pct', 'rh', 'relative_humidity_pct', 'humidity_pct'],
  wind: ['wind_kmh', 'wind', 'ws_kmh', 'wind_speed_kmh'],
  rain: ['rain_mm', 'rain', 'prec_mm', 'precip_mm', 'prec'],
  station: ['station', 'station_id', 'id'],
  lng: ['lng', 'lon', 'longitude'],
  lat: ['lat', 'latitude'],
};

function parseIsoDate(s: string): { day: number; month: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return { day: Math.round(t / 86_400_000), month: mo };
}

/**
 * Read a daily fire-weather CSV: columns `date` (YYYY-MM-DD, local), `temp_c` (noon °C), `rh_pct` (noon %),
 * `wind_kmh` (noon 10-m km/h), `rain_mm` (24 h to noon), and optionally `station`, `lat`, `lng` (several stations
 * in one long file). Rows with a bad date, a non-numeric value, RH outside 0–100, negative wind or rain, or a
 * repeated (station, date) are rejected with row, column and reason (`E_DATE`, `E_NUMBER`, `E_DUPLICATE`); a
 * gap of more than one day restarts the codes (`restarts`). Missing required columns throw `E_COLUMNS`; no usable
 * row throws `E_INPUT`.
 *
 * @example
 * ```ts
 * import { readWeatherCsv } from 'hazetrace/risk';
 * const r = readWeatherCsv('date,temp_c,rh_pct,wind_kmh,rain_mm\n2024-03-01,35,30,10,0\n2024-03-02,36,x,10,0\n');
 * r.stations[0].days.length; // 1
 * r.rejected[0].column;      // 'rh_pct'
 * ```
 */
export function readWeatherCsv(text: string): WeatherCsvResult {
  if (typeof text !== 'string') throw argError('text', text, 'CSV text');
  const rows = parseCsvRows(text.replace(/^\uFEFF/, ''));
  if (rows.length === 0 || (rows.length === 1 && rows[0]!.every((c) => c.trim() === ''))) throw new HazetraceError('E_EMPTY', 'the weather CSV is empty');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col: Record<string, number> = {};
  for (const [key, names] of Object.entries(COLUMN_NAMES)) col[key] = header.findIndex((h) => names.includes(h));
  const missing = ['date', 'temp', 'rh', 'wind', 'rain'].filter((k) => col[k]! < 0).map((k) => COLUMN_NAMES[k]![0]!);
  if (missing.length) {
    throw new HazetraceError('E_COLUMNS', `the weather CSV lacks column(s) ${missing.join(', ')} (header: ${rows[0]!.join(', ')})`, { argument: 'text', value: missing });
  }
  const rejected: RejectedRow[] = [];
  type Row = { day: number; date: string; d: FwiWeatherDay; lng: number; lat: number };
  const byStation = new Map<string, Row[]>();
  const rowNumbers = new Map<string, number[]>(); // 1-based data row of each kept row, per station
  const names = rows[0]!;
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    const get = (k: string): string => (col[k]! >= 0 ? (cells[col[k]!] ?? '').trim() : '');
    const cname = (k: string): string => names[col[k]!]!.trim();
    const date = get('date');
    const pd = parseIsoDate(date);
    if (!pd) {
      rejected.push({ row: r, column: cname('date'), code: 'E_DATE', message: `date ${showValue(date)} is not a calendar date YYYY-MM-DD` });
      continue;
    }
    const nums: Record<string, number> = {};
    let bad: RejectedRow | null = null;
    for (const k of ['temp', 'rh', 'wind', 'rain']) {
      const s = get(k);
      const v = s === '' ? NaN : Number(s);
      const ok = Number.isFinite(v) && (k === 'temp' ? v > -90 && v < 70 : k === 'rh' ? v >= 0 && v <= 100 : v >= 0);
      if (!ok) {
        const want = k === 'temp' ? 'a temperature in −90..70 °C' : k === 'rh' ? 'a relative humidity in 0..100 %' : 'a number >= 0';
        bad = { row: r, column: cname(k), code: 'E_NUMBER', message: `${showValue(s)} is not ${want}` };
        break;
      }
      nums[k] = v;
    }
    if (bad) {
      rejected.push(bad);
      continue;
    }
    let lng = NaN, lat = NaN;
    if (col.lng! >= 0 && col.lat! >= 0) {
      lng = Number(get('lng'));
      lat = Number(get('lat'));
      if (!(Math.abs(lng) <= 180 && Math.abs(lat) <= 90) || get('lng') === '' || get('lat') === '') {
        rejected.push({ row: r, column: `${cname('lng')}/${cname('lat')}`, code: 'E_COORD', message: `station position ${showValue(get('lng'))}, ${showValue(get('lat'))} is not a WGS84 lng/lat` });
        continue;
      }
    }
    const id = get('station');
    let list = byStation.get(id);
    if (!list) {
      byStation.set(id, (list = []));
      rowNumbers.set(id, []);
    }
    list.push({ day: pd.day, date, d: { month: pd.month, temp: nums.temp!, rh: nums.rh!, wind: nums.wind!, rain: nums.rain! }, lng, lat });
    rowNumbers.get(id)!.push(r);
  }
  const stations: WeatherStation[] = [];
  for (const [id, list] of byStation) {
    const rowsOf = rowNumbers.get(id)!;
    const order = list.map((_, i) => i).sort((a, b) => list[a]!.day - list[b]!.day || a - b);
    const keep: number[] = [];
    for (const i of order) {
      const prev = keep.length ? list[keep[keep.length - 1]!]! : undefined;
      if (prev && prev.day === list[i]!.day) {
        rejected.push({ row: rowsOf[i]!, column: 'date', code: 'E_DUPLICATE', message: `${list[i]!.date} repeats an earlier row of station ${showValue(id)}` });
        continue;
      }
      keep.push(i);
    }
    const restarts: number[] = [];
    keep.forEach((i, j) => {
      if (j > 0 && list[i]!.day - list[keep[j - 1]!]!.day > 1) restarts.push(j);
    });
    const first = list[keep[0]!]!;
    stations.push({ id, lng: first.lng, lat: first.lat, dates: keep.map((i) => list[i]!.date), days: keep.map((i) => list[i]!.d), restarts });
  }
  rejected.sort((a, b) => a.row - b.row);
  if (stations.length === 0) {
    const why = rejected[0] ? ` (first problem: row ${rejected[0].row} ${rejected[0].column}: ${rejected[0].message})` : '';
    throw new HazetraceError('E_INPUT', `the weather CSV has no usable row: 0 accepted, ${rejected.length} rejected${why}`, { argument: 'text' });
  }
  stations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { stations, rejected };
}

/** Options of {@link fireWeatherSeason}. */
export interface FireWeatherSeasonOptions {
  /** Months (1–12) that make the fire season. Default `[2, 3, 4]` (February–April, the northern Thailand peak). */
  months?: readonly number[];
  /** FWI at or above which a day counts as a high fire-danger day. Default 21.3 (lower bound of the EFFIS "high" class). */
  threshold?: number;
  /** Start-up codes ({@link FWI_STARTUP} by default) and latitude, as {@link fwiSeries}. Default `lat`: the station's own. */
  start?: Partial<FwiState>;
  lat?: number;
}

/** One station's fire-weather season summary. */
export interface FireWeatherSeason {
  id: string;
  lng: number;
  lat: number;
  /** Mean daily FWI over the season days of all years (the "climatological" season FWI). */
  meanFwi: number;
  /** Mean number per year of season days with FWI ≥ threshold (years with any season day). */
  highDays: number;
  /** Per calendar year: season days, mean FWI, days ≥ threshold. */
  years: { year: number; days: number; meanFwi: number; highDays: number }[];
  /** The daily series (all days of the record), for inspection. */
  series: FwiSeries;
}

/**
 * The FWI System over one station's record and its season summary: mean daily FWI over the season months and the
 * mean number per year of days with FWI ≥ `threshold`. The codes run over the whole record (so the season starts
 * from the state the weather left), restarting from the start-up values after gaps.
 *
 * @example
 * ```ts
 * import { readWeatherCsv, fireWeatherSeason } from 'hazetrace/risk';
 * const csv = 'date,temp_c,rh_pct,wind_kmh,rain_mm\n2024-02-28,34,35,12,0\n2024-02-29,35,30,15,0\n2024-03-01,36,25,20,0\n';
 * const s = fireWeatherSeason(readWeatherCsv(csv).stations[0], { months: [3] });
 * s.years[0].days; // 1 (only 1 March is in the season)
 * ```
 */
export function fireWeatherSeason(station: WeatherStation, options: FireWeatherSeasonOptions = {}): FireWeatherSeason {
  if (station === null || typeof station !== 'object' || !Array.isArray(station.days) || !Array.isArray(station.dates)) {
    throw argError('station', station, 'a WeatherStation from readWeatherCsv');
  }
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { months?, threshold?, start?, lat? }');
  const months = options.months ?? [2, 3, 4];
  if (!Array.isArray(months) || months.length === 0) throw argError('months', months, 'a non-empty array of months 1..12');
  months.forEach((m, i) => checkInt(`months[${i}]`, m, 1, 12));
  const threshold = checkFinite('threshold', options.threshold ?? 21.3);
  const lat = options.lat ?? (Number.isFinite(station.lat) ? station.lat : undefined);
  const series = fwiSeries(station.days, { ...(options.start ? { start: options.start } : {}), ...(lat !== undefined ? { lat } : {}), restarts: station.restarts });
  const inSeason = new Set(months);
  const byYear = new Map<number, { days: number; sum: number; high: number }>();
  let sum = 0, n = 0;
  station.days.forEach((d, i) => {
    if (!inSeason.has(d.month)) return;
    const y = Number(station.dates[i]!.slice(0, 4));
    let e = byYear.get(y);
    if (!e) byYear.set(y, (e = { days: 0, sum: 0, high: 0 }));
    const f = series.fwi[i]!;
    e.days++;
    e.sum += f;
    if (f >= threshold) e.high++;
    sum += f;
    n++;
  });
  const years = [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, e]) => ({ year, days: e.days, meanFwi: e.sum / e.days, highDays: e.high }));
  const highDays = years.length ? years.reduce((s, y) => s + y.highDays, 0) / years.length : NaN;
  return { id: station.id, lng: station.lng, lat: station.lat, meanFwi: n ? sum / n : NaN, highDays, years, series };
}

/** Options of {@link fireWeatherLayer}. */
export interface FireWeatherLayerOptions extends FireWeatherSeasonOptions {
  /**
   * How station values reach the cells: `'idw'` (default; grid's `idwToCells`, power 2, options in `idw`) or
   * `'nearest'` (each cell takes its nearest station). A single station, or stations without coordinates,
   * give every cell the same value (a constant factor cannot rank cells: `scoreRisk` drops it with a warning).
   */
  spread?: 'idw' | 'nearest';
  /** IDW options (power, maxDistanceKm, k, minPoints). Default power 2, no distance limit. */
  idw?: IdwOptions;
}

/**
 * Fire weather as a risk-factor layer for `scoreAreas` (`inputs.layers`): `fwi_season_mean` (mean daily FWI over
 * the season months) and `fwi_high_days` (days per season with FWI ≥ threshold), both "higher = riskier", from a
 * weather CSV ({@link readWeatherCsv}) or stations already read.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { fireWeatherLayer } from 'hazetrace/risk';
 * const csv = 'date,station,lat,lng,temp_c,rh_pct,wind_kmh,rain_mm\n' +
 *   '2024-03-01,A,18.8,99.0,36,25,20,0\n2024-03-01,B,19.9,99.8,30,60,5,0\n';
 * const layer = fireWeatherLayer(csv, { months: [3] });
 * const r = layer.compute([latLngToCell(18.8, 99.0, 6), latLngToCell(19.9, 99.8, 6)]);
 * r.factors.fwi_season_mean[0] > r.factors.fwi_season_mean[1]; // true: station A is hotter, drier, windier
 * ```
 */
export function fireWeatherLayer(weather: string | WeatherCsvResult | readonly WeatherStation[], options: FireWeatherLayerOptions = {}): RiskFactorLayer {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { months?, threshold?, spread?, idw? }');
  const read = typeof weather === 'string' ? readWeatherCsv(weather) : Array.isArray(weather) ? { stations: weather as WeatherStation[], rejected: [] } : (weather as WeatherCsvResult);
  if (!read || !Array.isArray(read.stations) || read.stations.length === 0) throw argError('weather', weather, 'weather CSV text, a readWeatherCsv result or a non-empty array of stations');
  const spread = options.spread ?? 'idw';
  if (spread !== 'idw' && spread !== 'nearest') throw argError('spread', spread, "'idw' or 'nearest'");
  const seasons = read.stations.map((s) => fireWeatherSeason(s, options));
  const months = options.months ?? [2, 3, 4];
  if (!seasons.some((s) => Number.isFinite(s.meanFwi))) {
    throw new HazetraceError('E_INPUT', `no weather station has a day in the season months ${months.join(', ')}`, { argument: 'options.months', value: months });
  }
  const located = seasons.filter((s) => Number.isFinite(s.lng) && Number.isFinite(s.lat) && Number.isFinite(s.meanFwi));
  const names = ['fwi_season_mean', 'fwi_high_days'] as const;
  return {
    names: [...names],
    signs: { fwi_season_mean: 'risk', fwi_high_days: 'risk' },
    rejected: read.rejected,
    compute(cells: readonly string[]): FactorLayerResult {
      if (!Array.isArray(cells) || cells.length === 0 || !cells.every((c) => typeof c === 'string' && isValidCell(c))) {
        throw argError('cells', cells, 'a non-empty array of H3 cell ids');
      }
      const m = cells.length;
      const factors: Record<string, Float64Array> = {};
      const notes: string[] = [];
      if (located.length < 2) {
        const usable = seasons.filter((s) => Number.isFinite(s.meanFwi));
        const mean = (k: 'meanFwi' | 'highDays'): number => usable.reduce((a, s) => a + s[k], 0) / usable.length;
        factors.fwi_season_mean = new Float64Array(m).fill(mean('meanFwi'));
        factors.fwi_high_days = new Float64Array(m).fill(mean('highDays'));
        notes.push(`fire weather: ${usable.length} station(s) without two located stations → one value for every cell (uninformative for ranking)`);
        return { factors, notes };
      }
      if (spread === 'idw') {
        for (const k of names) {
          const src = k === 'fwi_season_mean' ? 'meanFwi' : 'highDays';
          const g = idwToCells({ lng: located.map((s) => s.lng), lat: located.map((s) => s.lat), value: located.map((s) => s[src]) }, cells, options.idw ?? {});
          factors[k] = g.columns.value!;
        }
        notes.push(`fire weather: IDW from ${located.length} stations, season months ${months.join(', ')}`);
      } else {
        const near = new Int32Array(m);
        cells.forEach((c, i) => {
          const [la, ln] = cellToLatLng(c);
          let best = Infinity;
          located.forEach((s, j) => {
            const dy = s.lat - la, dx = (s.lng - ln) * Math.cos((la * Math.PI) / 180);
            const d2 = dx * dx + dy * dy;
            if (d2 < best) {
              best = d2;
              near[i] = j;
            }
          });
        });
        factors.fwi_season_mean = Float64Array.from(near, (j) => located[j]!.meanFwi);
        factors.fwi_high_days = Float64Array.from(near, (j) => located[j]!.highDays);
        notes.push(`fire weather: nearest of ${located.length} stations`);
      }
      return { factors, notes };
    },
  };
}
