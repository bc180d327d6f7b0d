/**
 * bench:output-size — bytes per trajectory point in each output format (docs/engines.md), on real
 * back-trajectories: Chiang Mai (35t), every 6 h from 1 February to 30 April 2026, 72 h, through the embedded
 * two-point reanalysis wind (the clustering example of docs/trajectory-clustering.md). Formats: Parquet
 * (`trajectoriesToParquet`, with and without the WKB point column), the trajectory GeoJSON
 * (`trajectoriesToGeoJson`, lines only and with endpoint features) and CSV (`trajectoriesToCsv`).
 *
 *   npm run bench:output-size
 *
 * Writes bench/results/output-size.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { trajectoriesToParquet } from '../src/io/index.js';
import { readWindCsv, stationWind, traceTrajectories, trajectoriesToCsv, trajectoriesToGeoJson } from '../src/wind/index.js';

const wind = stationWind(readWindCsv(readFileSync('data/wind_2pt_hourly_2026.csv', 'utf8')).observations);
const starts: { lng: number; lat: number; time: number; receptor: string }[] = [];
for (let t = Date.UTC(2026, 1, 1); t < Date.UTC(2026, 3, 30); t += 6 * 3_600_000) starts.push({ lng: 98.97, lat: 18.84, time: t, receptor: '35t' });
const set = traceTrajectories(wind, starts, { hours: 72 });
const n = set.lng.length;
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const sizes = {
  parquet: trajectoriesToParquet(set).byteLength,
  parquetWithGeometry: trajectoriesToParquet(set, { geometry: true }).byteLength,
  geojsonLines: bytes(JSON.stringify(trajectoriesToGeoJson(set))),
  geojsonWithPoints: bytes(JSON.stringify(trajectoriesToGeoJson(set, { points: true }))),
  csv: bytes(trajectoriesToCsv(set)),
};
const perPoint = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, +(v / n).toFixed(1)]));
const result = { date: new Date().toISOString(), command: 'npm run bench:output-size', trajectories: set.length, points: n, bytes: sizes, bytesPerPoint: perPoint };
console.log(result);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/output-size.json', JSON.stringify(result, null, 2) + '\n');
