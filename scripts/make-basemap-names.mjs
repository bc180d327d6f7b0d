#!/usr/bin/env node
/**
 * Writes data/basemap_names_north.json: the Thai and English names the report's map and tables show,
 * and the town markers, all taken from the project's read-only real-data folder (../shared/data or
 * $HAZETRACE_SHARED_DATA). Run: node scripts/make-basemap-names.mjs
 *
 * - provinces: pro_code -> { en, th } for all 77 provinces (th_provinces.geojson, chingchai/OpenGISData-Thailand)
 * - districts: amp_code -> { en, th } for the districts in data/th_districts_north_simplified.geojson
 *   (th_districts_2020.geojson, same upstream)
 * - stations: station_id -> { th, areaTh } for the stations in data/stations_north.csv (air4thai_stations.csv)
 * - towns: one marker per province seat inside the report's map box, placed at the Air4Thai monitor whose
 *   area is the province's Mueang (capital) district: real monitor coordinates, a few km at most from the
 *   town centre. Provinces without such a monitor get no town marker (no invented coordinates).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dsvFormat } from 'd3-dsv';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = process.env.HAZETRACE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const BOX = [96.5, 16.2, 103.5, 22.8];

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const provincesFull = readJson(join(SHARED, 'th_provinces.geojson'));
const districtsFull = readJson(join(SHARED, 'th_districts_2020.geojson'));
const districtsNorth = readJson(join(ROOT, 'data', 'th_districts_north_simplified.geojson'));
const stationsAll = dsvFormat(',').parse(readFileSync(join(SHARED, 'air4thai_stations.csv'), 'utf8').replace(/\r/g, ''));
const stationsNorth = dsvFormat(',').parse(readFileSync(join(ROOT, 'data', 'stations_north.csv'), 'utf8'));

const provinces = {};
for (const f of provincesFull.features) provinces[f.properties.pro_code] = { en: f.properties.pro_en, th: f.properties.pro_th };
const wanted = new Set(districtsNorth.features.map((f) => String(f.properties.amp_code)));
const districts = {};
for (const f of districtsFull.features) if (wanted.has(String(f.properties.amp_code))) districts[f.properties.amp_code] = { en: f.properties.amp_en, th: f.properties.amp_th };
const stations = {};
const northIds = new Set(stationsNorth.map((s) => s.station_id.toLowerCase()));
for (const s of stationsAll) if (northIds.has(s.station_id.toLowerCase())) stations[s.station_id.toLowerCase()] = { th: s.name_th.trim(), areaTh: s.area_th.trim() };

const towns = [];
for (const p of Object.values(provinces)) {
  const seat = stationsAll
    .filter((s) => /\bM(ue|eu)ang\b/i.test(s.area_en) && s.area_en.trim().endsWith(p.en) && Number.isFinite(Number(s.lat)) && s.lat !== '')
    .sort((a, b) => a.station_id.localeCompare(b.station_id))[0];
  if (!seat) continue;
  const lng = Number(seat.long);
  const lat = Number(seat.lat);
  if (lng < BOX[0] || lng > BOX[2] || lat < BOX[1] || lat > BOX[3]) continue;
  towns.push({ en: p.en, th: p.th, lng: Math.round(lng * 1e4) / 1e4, lat: Math.round(lat * 1e4) / 1e4, station: seat.station_id.toLowerCase() });
}
towns.sort((a, b) => a.en.localeCompare(b.en));
const out = { source: 'scripts/make-basemap-names.mjs from ../shared/data (see data/SOURCES.md)', provinces, districts, stations, towns };
writeFileSync(join(ROOT, 'data', 'basemap_names_north.json'), JSON.stringify(out) + '\n');
console.log(`provinces ${Object.keys(provinces).length}, districts ${Object.keys(districts).length}, stations ${Object.keys(stations).length}, towns ${towns.length}: ${towns.map((t) => t.en).join(', ')}`);
