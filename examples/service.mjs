// Embedding hazetrace in a service: `serve` from hazetrace/node is the whole HTTP engine (the same one as
// `hazetrace serve`): grid, trace, attribute, risk, live state with increments and a change feed, limits,
// auth, logs, graceful shutdown. This file only picks the options. Loopback only unless you pass a host.
//   node examples/service.mjs              # listens on 127.0.0.1:8787 until Ctrl-C
//     curl --data-binary @data/firms_modis_th_region.csv 'localhost:8787/grid?res=5'
//   node examples/service.mjs --self-test  # starts on a free port, exercises it once, prints a summary, exits
import { readFileSync } from 'node:fs';
import { serve } from 'hazetrace/node';

const selfTest = process.argv.includes('--self-test');
const text = (f) => readFileSync(new URL(`../data/${f}`, import.meta.url), 'utf8');

const h = await serve({
  port: selfTest ? 0 : 8787,
  maxBody: 32 * 1024 * 1024,
  token: process.env.HAZETRACE_TOKEN, // mutating endpoints need "Authorization: Bearer <token>" when set
  log: selfTest ? false : undefined, // one JSON line per request on stderr
  live: { regions: text('countries_ne50m_region.geojson'), facilities: text('facilities_gppd_region.csv'), attribute: { calibrate: false } },
});

if (!selfTest) {
  console.log(`hazetrace service on ${h.url} (GET /openapi.json for the API)`);
  for (const s of ['SIGINT', 'SIGTERM']) process.once(s, () => h.close());
} else {
  await h.ready;
  const auth = process.env.HAZETRACE_TOKEN ? { authorization: `Bearer ${process.env.HAZETRACE_TOKEN}` } : {};
  const post = (path, body) => fetch(`${h.url}${path}`, { method: 'POST', body, headers: auth });
  const grid = await post('/grid?res=5', text('firms_modis_th_region.csv'));
  console.log(`POST /grid: HTTP ${grid.status}, ${(await grid.json()).features.length} hexagons from ${grid.headers.get('x-hazetrace-accepted')} hotspots (${grid.headers.get('x-hazetrace-rejected')} rejected)`);
  const bad = await post('/grid?res=', 'latitude,longitude\n');
  console.log(`POST /grid?res= : HTTP ${bad.status} ${(await bad.json()).error.code}`);
  for (const [kind, file] of [['stations', 'stations_north.csv'], ['wind', 'wind_2pt_hourly_2025.csv'], ['pm25', 'pcd_pm25_daily_2025_north.csv'], ['hotspots', 'firms_modis_th_region.csv']]) {
    const r = await post(`/state/${kind}`, text(file));
    const c = await r.json();
    console.log(`POST /state/${kind}: HTTP ${r.status}, version ${c.version}, ${c.accepted} rows, ${c.episodesRecomputed?.length ?? 0} episode(s) evaluated${c.fullRecompute ? ' (full)' : ''}`);
  }
  const att = await post('/attribute', JSON.stringify({ from: '2025-04-22', to: '2025-04-24' }));
  const a = await att.json();
  console.log(`POST /attribute 2025-04-22..24: HTTP ${att.status}, ${a.episodes.length} attributed episode(s); first ${a.episodes[0]?.station}: ${JSON.stringify(a.episodes[0]?.sharesByRegion)}`);
  await h.close();
}
