/**
 * hazetrace/io: readers (FIRMS CSV/GeoJSON, station series and metadata CSV, generic point CSV,
 * GeoJSON layers, GeoTIFF rasters) and writers (H3 cells as GeoJSON, CSV and Arrow; generic CSV).
 * Browser-safe: no Node builtins (file paths live in `hazetrace/node`).
 */
export { decodeText, type TextInput } from './text.js';
export { parseCsvRows, CsvTokenizer, CsvRecord } from './csv.js';
export { readFirmsCsv, readFirmsGeoJson, selectHotspots, type FirmsOptions, type FirmsResult } from './firms.js';
export { columnarToJSON } from './json.js';
export {
  readStationSeriesCsv,
  readStationsCsv,
  type StationSeriesOptions,
  type StationSeriesResult,
  type StationSeriesStats,
  type StationsOptions,
  type StationsResult,
} from './stations.js';
export {
  readGeoJsonLayer,
  featureCollection,
  type Feature,
  type FeatureCollection,
  type Geometry,
  type Position,
  type GeoJsonLayerOptions,
  type GeoJsonLayerResult,
} from './geojson.js';
export { readPointsCsv, type Points, type PointsOptions, type PointsResult } from './points.js';
export { readGeoTiff, epsgToProj4, type GeoTiffOptions, type GeoTiffSampleType, type GeoTiffBand, type NativeBand, type Raster } from './geotiff.js';
export {
  cellsToGeoJson,
  cellsToGeoJsonChunks,
  cellsToCsv,
  cellsToCsvChunks,
  cellsToArrow,
  toCsv,
  toCsvChunks,
  type CellsGeoJsonOptions,
  type CellsArrowOptions,
  type CsvWriteOptions,
} from './writers.js';
export {
  tableToParquet,
  cellsToParquet,
  trajectoriesToParquet,
  h3ToBigInt,
  hivePartitionPath,
  type ParquetColumn,
  type ParquetColumnType,
  type TableToParquetOptions,
  type ParquetCellGrid,
  type CellsParquetOptions,
  type TrajectoriesParquetOptions,
} from './parquet.js';
export { stationSeriesToParquet, readStationSeriesParquet, type StationSeriesParquetResult, type SeriesTimeBasis } from './series-parquet.js';
export {
  readGrib2,
  aecDecode,
  type Grib2Message,
  type Grib2MessageInfo,
  type ReadGrib2Options,
  type Grib2ReadResult,
  type Grib2Grid,
  type Grib2Level,
  type Grib2Packing,
  type AecParams,
} from './grib2/index.js';
