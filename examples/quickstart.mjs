// Quick start: the demo's chain in a dozen calls, on the embedded sample (data/).
// Run from the repository root after `npm install`:  node examples/quickstart.mjs
import { readFileSync } from 'node:fs';
import { readFirmsCsv, readStationSeriesCsv, readStationsCsv, readGeoJsonLayer } from 'hazetrace/io';
import { binPoints } from 'hazetrace/grid';
import { readWindCsv, stationWind } from 'hazetrace/wind';
import { detectEpisodes, hotspotSources, facilitySources, mergeSources, polygonIndex, attribute } from 'hazetrace/attribution';

const data = (f) => readFileSync(new URL(`../data/${f}`, import.meta.url), 'utf8');

// 1. Read: FIRMS hotspots (UTC), PCD daily PM2.5 (Thai local days), stations, countries, wind.
const { hotspots, rejected } = readFirmsCsv(data('firms_modis_th_region.csv'));
const { series } = readStationSeriesCsv(data('pcd_pm25_daily_2025_north.csv'), { utcOffset: '+07:00' });
const { stations } = readStationsCsv(data('stations_north.csv'));
const countries = { type: 'FeatureCollection', features: readGeoJsonLayer(data('countries_ne50m_region.geojson')).features };
const wind = stationWind(readWindCsv(data('wind_2pt_hourly_2025.csv')).observations);
console.log(`${hotspots.length} hotspots (${rejected.length} rejected rows), ${series.length} PM2.5 rows, ${stations.length} stations`);

// 2. Grid the hotspots on H3 resolution 5.
const grid = binPoints({ lng: hotspots.lng, lat: hotspots.lat, frp: hotspots.frp }, { res: 5, values: { frp: ['sum'] } });
console.log(`${grid.cells.length} H3 cells; first: ${grid.cells[0]} with ${grid.columns.count[0]} detections`);

// 3. Episodes: 24-h means above the Thai standard (37.5 µg/m³) on 22–24 April 2025 (local days), the days
//    the FIRMS snapshots cover. A plain { station, time, value } series is accepted as well as the reader's.
const t0 = Date.parse('2025-04-22T00:00:00+07:00');
const t1 = Date.parse('2025-04-25T00:00:00+07:00');
const rows = [...series.time.keys()].filter((i) => series.time[i] >= t0 && series.time[i] < t1);
const eps = detectEpisodes(
  { station: rows.map((i) => series.station[i]), time: rows.map((i) => series.time[i]), value: rows.map((i) => series.values.pm25_24h_ugm3[i]) },
  { threshold: 37.5 },
).episodes;

// 4. Sources: fires tagged with their country, plus power plants; then attribute.
const regions = polygonIndex(countries, { property: 'iso_a3' });
const sources = mergeSources(hotspotSources(hotspots, { regions }), facilitySources(data('facilities_gppd_region.csv'), { regions }).layer);
const result = attribute(eps, sources, { wind, receptors: stations, hours: 72, domesticRegion: 'THA' });
for (const e of result.episodes) {
  const regionsTxt = Object.entries(e.sharesByRegion).sort((a, b) => b[1].share - a[1].share).map(([k, b]) => `${k} ${(b.share * 100).toFixed(0)}%`).join(', ');
  console.log(`${e.episode.station} from ${new Date(e.episode.start + 7 * 3_600_000).toISOString().slice(0, 10)} (local) peak ${e.episode.peakValue} µg/m³ -> ${regionsTxt}`);
}
