/**
 * Imperfect knowledge: what an analyst would actually have. Satellites see a
 * fire only if it burns at an overpass (and then with a probability rising
 * with FRP), with FRP and position errors; monitors read background plus the
 * true source contribution with relative and absolute noise; inventories give
 * facility and area emissions with a log-normal error. The perturbed wind is
 * {@link perturbWind}.
 */
import { DAY_MS, HOUR_MS, createRng } from '../core/index.js';
import type { Hotspots, StationSeries, Stations } from '../core/index.js';
import type { DispersionResult } from './dispersion.js';
import { offsetKm } from './geo.js';
import type { Scenario } from './scenario.js';
import { checkDispersion, checkScenario } from './check.js';

/** What attribution gets to see of a scenario (besides the wind). */
export interface Observations {
  /** Satellite detections (FIRMS-like columns). `extra.source_id` names the true fire (for scoring only). */
  hotspots: Hotspots;
  /** Truth source index of each detection. */
  hotspotSource: Int32Array;
  /** Station metadata. */
  stations: Stations;
  /**
   * Hourly observed PM2.5 (`values.pm25_ugm3`), long form. Times are hour STARTS (the dispersion's hour
   * bins), unlike a `readStationSeriesCsv` series (hour ends), so the series says so in `timeBasis` and
   * attribution's `detectEpisodes` reads it; the CSV export writes hour-end labels instead.
   */
  series: StationSeries & { timeBasis: 'hour-start' };
  /** Reported emission (kg/h) of each non-fire source (NaN for fires): truth × inventory error. */
  reportedRateKgH: Float64Array;
  /** Background used per monitor, µg/m³ (for reference; attribution must estimate its own). */
  backgroundUgm3: Float64Array;
  toJSON(): Record<string, unknown>;
}

/**
 * Observe a scenario: detections at overpass times, noisy hourly monitor series, reported inventories.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion, observe } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 48 });
 * const obs = observe(sc, runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: 300 }));
 * obs.hotspots.length; // detections seen by Terra/Aqua
 * ```
 */
export function observe(sc: Scenario, disp: DispersionResult): Observations {
  checkScenario('sc', sc);
  checkDispersion('disp', disp);
  const cfg = sc.config;
  const O = cfg.observation;
  const root = createRng(cfg.seed).fork(404);
  const rDet = root.fork(1), rMon = root.fork(2), rInv = root.fork(3);
  const src = sc.sources;
  const runEnd = cfg.startMs + cfg.hours * HOUR_MS;
  const off = cfg.utcOffset * 60_000;

  // Overpass instants (UTC) within the run, in time order.
  const passes: { t: number; satellite: string; instrument: 'MODIS' | 'VIIRS'; localHour: number }[] = [];
  const firstDay = Math.floor((cfg.startMs + off) / DAY_MS) * DAY_MS - off;
  for (let d = firstDay; d < runEnd; d += DAY_MS) {
    for (const p of O.overpasses) {
      const t = d + Math.round(p.localHour * 60) * 60_000;
      if (t >= cfg.startMs && t < runEnd) passes.push({ t, ...p });
    }
  }
  passes.sort((a, b) => a.t - b.t);
  const lng: number[] = [], lat: number[] = [], time: number[] = [], frp: number[] = [], conf: number[] = [], srcIdx: number[] = [];
  const sat: string[] = [], inst: ('MODIS' | 'VIIRS')[] = [], dn: string[] = [];
  for (const p of passes) {
    for (let i = 0; i < src.length; i++) {
      if (src.kind[i] !== 'fire' || !(src.start[i]! <= p.t && p.t < src.end[i]!)) continue;
      const f = src.frp[i]!;
      const pDet = O.detectionFrpMw > 0 ? 1 - Math.exp(-f / O.detectionFrpMw) : 1;
      if (rDet.next() >= pDet) continue;
      const [x, y] = offsetKm(src.lng[i]!, src.lat[i]!, O.positionErrorKm * rDet.normal(), O.positionErrorKm * rDet.normal());
      lng.push(x); lat.push(y); time.push(p.t);
      frp.push(Math.round(f * Math.exp(O.frpErrorLogSd * rDet.normal()) * 10) / 10);
      conf.push(Math.round(100 * pDet));
      srcIdx.push(i);
      sat.push(p.satellite); inst.push(p.instrument);
      dn.push(p.localHour >= 6 && p.localHour < 18 ? 'D' : 'N');
    }
  }
  const n = lng.length;
  // Brightness temperatures are not simulated physically; a monotone placeholder keeps the FIRMS columns valid.
  const bright = Float64Array.from(frp, (f) => Math.round((300 + 15 * Math.log10(1 + f)) * 10) / 10);
  const hotspots: Hotspots = {
    length: n,
    lng: Float64Array.from(lng), lat: Float64Array.from(lat), time: Float64Array.from(time), frp: Float64Array.from(frp),
    brightness: bright, brightness2: Float64Array.from(bright, (b) => b - 10),
    scan: new Float64Array(n).fill(1), track: new Float64Array(n).fill(1),
    confidence: conf.map(String), confidenceNorm: Float64Array.from(conf),
    satellite: sat, instrument: inst, daynight: dn, version: new Array<string>(n).fill('6.1NRT'),
    extra: { source_id: srcIdx.map((i) => src.id[i]!) },
  };

  const nm = sc.monitors.length;
  const hours = cfg.hours;
  const bg = Float64Array.from(sc.monitors, () => O.backgroundUgm3 * Math.exp(0.15 * rMon.normal()));
  const station: string[] = [];
  const stime = new Float64Array(nm * hours);
  const pm = new Float64Array(nm * hours);
  for (let m = 0; m < nm; m++) {
    for (let h = 0; h < hours; h++) {
      const k = m * hours + h;
      const truth = bg[m]! + disp.conc[k]!;
      const v = truth * (1 + O.noiseRel * rMon.normal()) + O.noiseAbsUgm3 * rMon.normal();
      station.push(sc.monitors[m]!.id);
      stime[k] = disp.times[h]!;
      pm[k] = Math.max(0, Math.round(v * 10) / 10);
    }
  }
  const series = { length: nm * hours, station, time: stime, values: { pm25_ugm3: pm }, timeBasis: 'hour-start' as const };
  const stations: Stations = {
    length: nm, id: sc.monitors.map((m) => m.id), name: sc.monitors.map((m) => m.id),
    lng: Float64Array.from(sc.monitors, (m) => m.lng), lat: Float64Array.from(sc.monitors, (m) => m.lat), extra: {},
  };
  const reportedRateKgH = Float64Array.from({ length: src.length }, (_, i) =>
    src.kind[i] === 'fire' ? NaN : src.rateKgH[i]! * Math.exp(O.inventoryErrorLogSd * rInv.normal()),
  );
  return {
    hotspots, hotspotSource: Int32Array.from(srcIdx), stations, series, reportedRateKgH, backgroundUgm3: bg,
    toJSON() {
      return {
        hotspots: { ...hotspots, lng, lat, time, frp, brightness: Array.from(bright), brightness2: Array.from(hotspots.brightness2), scan: Array.from(hotspots.scan), track: Array.from(hotspots.track), confidenceNorm: conf },
        hotspotSource: srcIdx,
        series: { station, time: Array.from(stime), values: { pm25_ugm3: Array.from(pm) }, timeBasis: series.timeBasis },
        reportedRateKgH: Array.from(reportedRateKgH, (x) => (Number.isNaN(x) ? null : x)),
        backgroundUgm3: Array.from(bg),
      };
    },
  };
}
