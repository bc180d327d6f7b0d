/**
 * `hazetrace forecast`: where the smoke of the latest hotspots goes in the next 24 / 48 h.
 * Parses, reads, calls the library's `forecastSmoke` (and `calibrateSeries` for --pm25), writes and prints; no analysis here.
 */
import { calibrateSeries, forecastCellsToGeoJson, forecastSmoke, forecastStationsToCsv, type ForecastOptions, type ForecastResult, type ScaleFit } from '../../attribution/index.js';
import { toIsoUtc } from '../../core/index.js';
import type { CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, UTC_OFFSET_HELP, numberOption, optionalOption, readText, requireOption, timeOption, utcOffsetOption } from '../options.js';
import { describeRejected, loadHotspots, loadSeries, loadStations, loadWind, noteJson, type InputNote } from '../inputs.js';
import { jsonChunks, jsonWithLongArray } from '../json-stream.js';

export const forecastCommand: CommandSpec = {
  name: 'forecast',
  summary: 'forecast where the latest hotspots\' smoke goes: arrival probability, time and PM2.5 increment per station and H3 cell',
  usage:
    'hazetrace forecast --hotspots FIRMS.csv --wind WIND --stations STATIONS.csv [--from-hours 24] [--horizons 24,48] [--res 6]\n' +
    '                   [--issue-time TIME] [--radius-km 20] [--ensemble auto|offset|random-walk] [--members 9] [--seed 1]\n' +
    '                   [--scales SCALES.json | --pm25 SERIES.csv] [--utc-offset +07:00] [--allow-empty] --out DIR [--json]',
  details:
    'Forward-trajectory ensembles from the detections of the last --from-hours before the issue time (default: the\n' +
    'latest detection), FRP as emission weight, under daily persistence (each detection released at its time and\n' +
    'every 24 h after). Per station and horizon: the probability that smoke arrives (fraction of members in which\n' +
    'any release passes within --radius-km), the median and earliest arrival, and with --scales or --pm25 the\n' +
    'expected PM2.5 increment over background (µg/m³, 10-90 % band over the members). --pm25 fits the scales on the\n' +
    'observed series (calibrateSeries, as `attribute`); the wind must then also cover the past. A horizon the wind\n' +
    'does not cover has status insufficient-wind (no numbers), never a shorter forecast. Method: docs/forecast.md.\n' +
    'Files in --out: stations.csv (one row per station and horizon), cells.geojson (H3 cells with p<H> and\n' +
    'exposure<H>), summary.json (status, horizons, stations, provenance). JSON on stdout: summary.json.\n' +
    'Exits 3 when no horizon could be forecast (no detection in the window, or the wind does not cover it) unless\n' +
    '--allow-empty.',
  options: {
    hotspots: { type: 'string', help: 'FIRMS hotspots (CSV or GeoJSON)' },
    wind: { type: 'string', help: 'forecast wind: NetCDF, GRIB2 (GFS), U.tif,V.tif, or point-wind CSV' },
    stations: { type: 'string', help: 'station coordinates CSV (station_id,lat,long)' },
    'from-hours': { type: 'string', default: '24', help: 'hours of detections before the issue time used as sources' },
    horizons: { type: 'string', default: '24,48', help: 'forecast horizons, hours, comma-separated' },
    res: { type: 'string', default: '6', help: 'H3 resolution of cells.geojson' },
    'issue-time': { type: 'string', help: 'issue time of the forecast (default: the latest detection); read in --utc-offset unless ending in Z or +HH:MM' },
    'radius-km': { type: 'string', default: '20', help: 'smoke "arrives" when a trajectory passes within this distance, km' },
    ensemble: { type: 'string', default: 'auto', help: "ensemble kind: 'auto' (offset on gridded wind, random-walk on point or coarse wind), 'offset' or 'random-walk'" },
    members: { type: 'string', default: '9', help: 'random-walk members' },
    seed: { type: 'string', default: '1', help: 'random-walk seed' },
    scales: { type: 'string', help: 'calibrated category scales: {"fire_other": 80, ...} or an attribution.json (its calibration)' },
    pm25: { type: 'string', help: 'PM2.5 series CSV to calibrate the scales on (instead of --scales)' },
    'utc-offset': { type: 'string', default: '+07:00', help: UTC_OFFSET_HELP },
    'allow-empty': { type: 'boolean', default: false, help: 'exit 0 even when no horizon could be forecast' },
  },
  examples: [
    'hazetrace forecast --hotspots data/firms_modis_th_region.csv --wind data/wind_2pt_hourly_2025.csv --stations data/stations_north.csv \\\n      --pm25 data/pcd_pm25_daily_2025_north.csv --out out/forecast',
  ],
  async run(ctx) {
    const v = ctx.values;
    const hotspotsPath = requireOption(v, 'hotspots', 'FIRMS hotspots');
    const windArg = requireOption(v, 'wind', 'forecast wind');
    const stationsPath = requireOption(v, 'stations', 'station coordinates CSV');
    const utcOffset = utcOffsetOption(v);
    const horizonsText = String(v['horizons'] ?? '24,48');
    const horizons = horizonsText.split(',').map((s) => Number(s.trim()));
    if (horizons.length === 0 || horizons.some((h) => !Number.isFinite(h) || h <= 0 || h > 720)) {
      throw usageError(`--horizons must be hours in (0, 720], comma-separated, got ${JSON.stringify(horizonsText)}`, '--horizons', 'e.g. --horizons 24,48');
    }
    const ensemble = String(v['ensemble'] ?? 'auto');
    if (!['auto', 'offset', 'random-walk'].includes(ensemble)) throw usageError(`--ensemble must be auto, offset or random-walk, got ${JSON.stringify(ensemble)}`, '--ensemble');
    const scalesPath = optionalOption(v, 'scales');
    const pm25Path = optionalOption(v, 'pm25');
    if (scalesPath && pm25Path) throw usageError('give --scales or --pm25, not both', '--scales/--pm25', '--scales uses saved scales; --pm25 fits them on the series');
    const options: ForecastOptions = {
      fromHours: numberOption(v, 'from-hours', 24, { min: 1, max: 240 }),
      horizons,
      res: numberOption(v, 'res', 6, { integer: true, min: 0, max: 15 }),
      radiusKm: numberOption(v, 'radius-km', 20, { min: 0.1, max: 1000 }),
      ensemble: ensemble as 'auto' | 'offset' | 'random-walk',
      members: numberOption(v, 'members', 9, { integer: true, min: 1, max: 1000 }),
      seed: numberOption(v, 'seed', 1, { integer: true }),
    };
    const issue = optionalOption(v, 'issue-time');
    if (issue) options.issueTime = timeOption('issue-time', issue, utcOffset);
    if (scalesPath) options.scales = readScaleFile(scalesPath, ctx.cwd);

    ctx.progress.stage('reading inputs');
    const notes: InputNote[] = [];
    const { hotspots, note: hn } = await loadHotspots('hotspots', hotspotsPath, ctx.cwd);
    const { stations, note: stn } = await loadStations('stations', stationsPath, ctx.cwd);
    notes.push(hn, stn);
    const wind = await loadWind('wind', windArg, ctx.cwd);
    if (wind.note) notes.push(wind.note);
    let fit: ScaleFit | undefined;
    if (pm25Path) {
      const { result: series, note } = await loadSeries('pm25', pm25Path, ctx.cwd, utcOffset);
      notes.push(note);
      ctx.progress.stage('calibrating the scales on --pm25');
      fit = await withInput('calibration', () => calibrateSeries({ hotspots, series, stations, wind: wind.field }, { utcOffset, seed: options.seed ?? 1 }));
      options.scales = fit;
    }
    ctx.progress.stage('tracing forward ensembles');
    const result = await withInput('forecast', () => forecastSmoke({ hotspots, stations, wind: wind.field }, options), undefined, { options: '--horizons/--from-hours/--res' });
    ctx.progress.done();

    const summary = { ...result.toJSON(), ...(fit ? { calibrationFit: fit } : {}), inputs: notes.map((n) => noteJson(n)) };
    const out = new OutDir(v, ctx.cwd);
    if (out.enabled) {
      out.write('stations.csv', () => forecastStationsToCsv(result));
      out.writeChunks('cells.geojson', () => {
        const fc = forecastCellsToGeoJson(result);
        return jsonWithLongArray({ type: 'FeatureCollection' }, 'features', fc.features);
      });
      out.writeChunks('summary.json', () => jsonChunks(summary));
    }
    if (ctx.json) {
      for (const piece of jsonChunks(summary)) ctx.streams.stdout.write(piece);
      ctx.streams.stdout.write('\n');
    } else {
      const lines = summaryTable(result, wind.describe, fit);
      for (const n of notes) lines.push('  input ' + describeRejected(n));
      if (out.written.length) lines.push(`wrote ${out.written.length} files to ${out.dir}`);
      ctx.streams.stdout.write(lines.join('\n') + '\n');
    }
    if ((result.status === 'insufficient-wind' || result.status === 'no-hotspots') && v['allow-empty'] !== true) {
      throw inputError(`no forecast (${result.status}): ${result.reason ?? ''}`, result.status === 'no-hotspots' ? '--hotspots/--issue-time' : '--wind', result.status === 'no-hotspots' ? 'check --issue-time and --from-hours against the detection times' : 'give a forecast wind covering the issue time through the longest horizon, or shorten --horizons');
    }
  },
};

const hhmm = (t: number | null): string => (t === null ? '-' : toIsoUtc(t).slice(0, 16).replace('T', ' ') + 'Z');

/** The short table: status, provenance in one line, then the stations with the highest probability. */
function summaryTable(r: ForecastResult, windDescribe: string, fit: ScaleFit | undefined, shown = 15): string[] {
  const p = r.provenance;
  const lines = [
    `forecast issued ${hhmm(r.issueTime)}: status ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
    `  ${p.hotspotsUsed} hotspots of ${p.window.start.slice(0, 16)}Z..${p.window.end.slice(0, 16)}Z, ${p.releases} releases, ${p.ensemble.kind} ensemble of ${p.ensemble.members}, radius ${p.radiusKm} km; wind ${windDescribe}`,
    `  increment: ${r.incrementStatus}${p.calibration.fireScale !== null ? ` (fire scale ${p.calibration.fireScale.toPrecision(3)}, ${p.calibration.mode})` : fit?.fallback ? ` (calibration fell back: ${fit.fallback})` : ''}`,
  ];
  const hs = r.horizons;
  const head = ['station'.padEnd(10), ...hs.map((h) => `P${h.hours}h`.padStart(6)), 'arrival (median)'.padEnd(18), ...(r.incrementStatus === 'calibrated' ? hs.map((h) => `+PM2.5 ${h.hours}h [band]`.padEnd(24)) : [])];
  lines.push('  ' + head.join(' '));
  const order = r.stations.map((s, i) => i).sort((a, b) => {
    const pa = r.stations[a]!.horizons.map((h) => h.probability ?? -1);
    const pb = r.stations[b]!.horizons.map((h) => h.probability ?? -1);
    for (let k = 0; k < pa.length; k++) if (pa[k] !== pb[k]) return (pb[k] as number) - (pa[k] as number);
    return a - b;
  });
  for (const i of order.slice(0, shown)) {
    const s = r.stations[i]!;
    const last = s.horizons.filter((h) => h.status === 'ok').pop();
    const row = [
      s.station.padEnd(10),
      ...s.horizons.map((h) => (h.probability === null ? 'n/a' : h.probability.toFixed(2)).padStart(6)),
      hhmm(last?.arrival ?? null).padEnd(18),
      ...(r.incrementStatus === 'calibrated'
        ? s.horizons.map((h) => (h.increment ? `${h.increment.mean.toFixed(1)} [${h.increment.low.toFixed(1)}-${h.increment.high.toFixed(1)}]` : 'n/a').padEnd(24))
        : []),
    ];
    lines.push('  ' + row.join(' '));
  }
  if (r.stations.length > shown) lines.push(`  ... ${r.stations.length - shown} more stations in stations.csv`);
  return lines;
}

/** Scales from a JSON file: `{ category: scale }`, or an attribution.json / summary whose `calibration` is a ScaleFit. */
function readScaleFile(path: string, cwd: string): ScaleFit | Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText('scales', path, cwd));
  } catch (e) {
    throw inputError(`--scales ${path} is not JSON (${e instanceof Error ? e.message : String(e)})`, `--scales ${path}`, 'give {"fire_other": 80, ...} or an attribution.json');
  }
  const cal = (parsed as { calibration?: Record<string, unknown> })?.calibration;
  const obj = (cal?.['scales'] ?? parsed) as unknown;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw inputError(`--scales ${path} holds no scales object`, `--scales ${path}`, 'give {"fire_other": 80, ...}');
  const scales: Record<string, number> = {};
  for (const [k, x] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw inputError(`--scales ${path}: scale of "${k}" must be a non-negative number, got ${JSON.stringify(x)}`, `--scales ${path}`);
    scales[k] = x;
  }
  if (!Object.keys(scales).some((k) => k.startsWith('fire_') || k === 'hotspot')) throw inputError(`--scales ${path} has no fire scale (fire_other, fire_*, or hotspot)`, `--scales ${path}`, 'give {"fire_other": 80, ...}');
  const mode = cal?.['mode'];
  if (mode === 'calibrated' || mode === 'given' || mode === 'defaults') {
    const intervals = (cal?.['intervals'] && typeof cal['intervals'] === 'object' ? cal['intervals'] : {}) as Record<string, [number, number]>;
    const bg = typeof cal?.['background'] === 'number' ? (cal['background'] as number) : null;
    return { mode, scales, background: bg, r2: typeof cal?.['r2'] === 'number' ? (cal['r2'] as number) : null, rows: Number(cal?.['rows'] ?? 0), intervals };
  }
  return scales;
}
