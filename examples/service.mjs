// Embedding hazetrace in a service: a tiny HTTP endpoint that grids posted FIRMS CSV on H3 and returns
// GeoJSON hexagons (what a war-room map layer would fetch), and attributes posted inputs with the same
// attributeSeries call as `hazetrace attribute`. No framework; node:http only; loopback only.
//   node examples/service.mjs            # listens on 127.0.0.1:8787;  curl --data-binary @data/firms_modis_th_region.csv 'localhost:8787/grid?res=5'
//   node examples/service.mjs --self-test  # starts, posts the sample once, prints a summary, exits
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { HazetraceError } from 'hazetrace';
import { readFirmsCsv, readStationSeriesCsv, readStationsCsv, readGeoJsonLayer, cellsToGeoJson } from 'hazetrace/io';
import { binPoints } from 'hazetrace/grid';
import { openWind } from 'hazetrace/wind';
import { attributeSeries } from 'hazetrace/attribution';

/**
 * POST /attribute with JSON { firms, pm25, stations, wind, regions?, facilities?, options? } (file texts):
 * the contract JSON of `hazetrace attribute --json` for the same files and options.
 */
export async function handleAttribute(body) {
  const wind = await openWind(body.wind);
  const r = attributeSeries(
    {
      hotspots: readFirmsCsv(body.firms).hotspots,
      series: readStationSeriesCsv(body.pm25, { utcOffset: body.options?.utcOffset ?? '+07:00' }),
      stations: readStationsCsv(body.stations).stations,
      wind: wind.field,
      ...(body.regions ? { regions: readGeoJsonLayer(body.regions) } : {}),
      ...(body.facilities ? { facilities: body.facilities } : {}),
    },
    body.options ?? {},
  );
  return r.contract();
}

export function handleGrid(csvText, res) {
  const { hotspots, rejected } = readFirmsCsv(csvText);
  const grid = binPoints({ lng: hotspots.lng, lat: hotspots.lat, frp: hotspots.frp }, { res, values: { frp: ['sum', 'max'] } });
  // Rejected rows travel with the answer: a client can show "12 rows skipped: bad acq_time" instead of silently losing them.
  return { geojson: cellsToGeoJson(grid), accepted: hotspots.length, rejected: rejected.slice(0, 20), rejectedCount: rejected.length };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'POST' || (url.pathname !== '/grid' && url.pathname !== '/attribute')) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST FIRMS CSV to /grid?res=N, or JSON inputs to /attribute' }));
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    try {
      if (url.pathname === '/attribute') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await handleAttribute(JSON.parse(body))));
        return;
      }
      const out = handleGrid(body, Number(url.searchParams.get('res') ?? 5));
      res.writeHead(200, { 'content-type': 'application/geo+json' }).end(JSON.stringify(out));
    } catch (e) {
      // HazetraceError carries a stable code: bad input is the client's problem (400), anything else is ours (500).
      const status = e instanceof HazetraceError ? 400 : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.message, code: e.code }));
    }
  });
});

server.listen(process.argv.includes('--self-test') ? 0 : 8787, '127.0.0.1', async () => {
  const { port } = server.address();
  if (!process.argv.includes('--self-test')) return console.log(`listening on http://localhost:${port}/grid`);
  const csv = readFileSync(new URL('../data/firms_modis_th_region.csv', import.meta.url));
  const r = await fetch(`http://127.0.0.1:${port}/grid?res=5`, { method: 'POST', body: csv });
  const j = await r.json();
  console.log(`HTTP ${r.status}: ${j.geojson.features.length} hexagons from ${j.accepted} hotspots (${j.rejectedCount} rejected)`);
  const bad = await fetch(`http://127.0.0.1:${port}/grid?res=99`, { method: 'POST', body: csv });
  console.log(`HTTP ${bad.status}: ${(await bad.json()).error}`);
  const text = (f) => readFileSync(new URL(`../data/${f}`, import.meta.url), 'utf8');
  const att = await fetch(`http://127.0.0.1:${port}/attribute`, {
    method: 'POST',
    body: JSON.stringify({
      firms: text('firms_modis_th_region.csv'), pm25: text('pcd_pm25_daily_2025_north.csv'), stations: text('stations_north.csv'),
      wind: text('wind_2pt_hourly_2025.csv'), regions: text('countries_ne50m_region.geojson'), facilities: text('facilities_gppd_region.csv'),
      options: { from: '2025-04-22', to: '2025-04-24' },
    }),
  });
  const c = await att.json();
  console.log(`HTTP ${att.status}: ${c.episodes.length} attributed episode(s), ${c.unattributed.length} not; first ${c.episodes[0]?.station}: ${JSON.stringify(c.episodes[0]?.sharesByRegion)}`);
  server.close();
});
