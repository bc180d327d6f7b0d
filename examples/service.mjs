// Embedding hazetrace in a service: a tiny HTTP endpoint that grids posted FIRMS CSV on H3 and returns
// GeoJSON hexagons (what a war-room map layer would fetch). No framework; node:http only.
//   node examples/service.mjs            # listens on :8787;  curl --data-binary @data/firms_modis_th_region.csv 'localhost:8787/grid?res=5'
//   node examples/service.mjs --self-test  # starts, posts the sample once, prints a summary, exits
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { HazetraceError } from 'hazetrace';
import { readFirmsCsv, cellsToGeoJson } from 'hazetrace/io';
import { binPoints } from 'hazetrace/grid';

export function handleGrid(csvText, res) {
  const { hotspots, rejected } = readFirmsCsv(csvText);
  const grid = binPoints({ lng: hotspots.lng, lat: hotspots.lat, frp: hotspots.frp }, { res, values: { frp: ['sum', 'max'] } });
  // Rejected rows travel with the answer: a client can show "12 rows skipped: bad acq_time" instead of silently losing them.
  return { geojson: cellsToGeoJson(grid), accepted: hotspots.length, rejected: rejected.slice(0, 20), rejectedCount: rejected.length };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'POST' || url.pathname !== '/grid') {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST FIRMS CSV to /grid?res=N' }));
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    try {
      const out = handleGrid(body, Number(url.searchParams.get('res') ?? 5));
      res.writeHead(200, { 'content-type': 'application/geo+json' }).end(JSON.stringify(out));
    } catch (e) {
      // HazetraceError carries a stable code: bad input is the client's problem (400), anything else is ours (500).
      const status = e instanceof HazetraceError ? 400 : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.message, code: e.code }));
    }
  });
});

server.listen(process.argv.includes('--self-test') ? 0 : 8787, async () => {
  const { port } = server.address();
  if (!process.argv.includes('--self-test')) return console.log(`listening on http://localhost:${port}/grid`);
  const csv = readFileSync(new URL('../data/firms_modis_th_region.csv', import.meta.url));
  const r = await fetch(`http://localhost:${port}/grid?res=5`, { method: 'POST', body: csv });
  const j = await r.json();
  console.log(`HTTP ${r.status}: ${j.geojson.features.length} hexagons from ${j.accepted} hotspots (${j.rejectedCount} rejected)`);
  const bad = await fetch(`http://localhost:${port}/grid?res=99`, { method: 'POST', body: csv });
  console.log(`HTTP ${bad.status}: ${(await bad.json()).error}`);
  server.close();
});
