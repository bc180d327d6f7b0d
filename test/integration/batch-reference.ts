/**
 * What the batch tests compare against: Parquet bytes read back as rows, and the one-process `attributeSeries` run
 * of a batch spec whose files are absolute paths (FIRMS CSV, PCD PM2.5 CSV at +07:00, stations CSV, point-wind CSV,
 * regions GeoJSON).
 */
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { attributeSeries, type SeriesAttribution } from '../../src/attribution/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { readWindCsv, stationWind } from '../../src/wind/index.js';

/** The rows of a Parquet file's bytes. */
export const rowsOf = async (bytes: Uint8Array): Promise<Record<string, unknown>[]> =>
  parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });

/** The one-process run of a batch spec (its own from/to, default settings otherwise). */
export function attributeSpec(spec: { hotspots: string; pm25: string; stations: string; wind: string; regions: string; from: string; to: string }): SeriesAttribution {
  const text = (f: string): string => readFileSync(f, 'utf8');
  return attributeSeries(
    {
      hotspots: readFirmsCsv(text(spec.hotspots)).hotspots,
      series: readStationSeriesCsv(text(spec.pm25), { utcOffset: '+07:00' }),
      stations: readStationsCsv(text(spec.stations)).stations,
      wind: stationWind(readWindCsv(text(spec.wind)).observations),
      regions: readGeoJsonLayer(text(spec.regions)),
    },
    { from: spec.from, to: spec.to },
  );
}
