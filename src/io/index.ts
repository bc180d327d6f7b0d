/**
 * hazetrace/io: readers (FIRMS CSV/GeoJSON, station series and metadata CSV, generic point CSV,
 * GeoJSON layers, GeoTIFF rasters) and writers (H3 cells as GeoJSON, CSV and Arrow; generic CSV).
 * Browser-safe: no Node builtins (file paths live in `hazetrace/node`).
 */
export { decodeText, type TextInput } from './text.js';
export { parseCsvRows, CsvTokenizer, CsvRecord } from './csv.js';
export { readFirmsCsv, readFirmsGeoJson, type FirmsOptions, type FirmsResult } from './firms.js';
export { columnarToJSON } from './json.js';
