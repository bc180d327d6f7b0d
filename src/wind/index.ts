/**
 * hazetrace/wind: wind fields (uniform, gridded, station IDW, GeoTIFF, NetCDF) and HYSPLIT-style
 * trajectories (single, batch, ensembles), with HYSPLIT tdump, GeoJSON and CSV in and out.
 * Worker-thread batches live in hazetrace/node (`traceTrajectoriesParallel`, `createTracePool`).
 */
export {
  uniformWind,
  griddedWind,
  UniformWindField,
  GriddedWindField,
  OffsetWindField,
  METRES_PER_DEGREE_GRID,
  DEFAULT_MAX_GAP_HOURS,
  type UniformWindOptions,
  type GriddedWindOptions,
  type GriddedWindArrays,
  type WindArray,
} from './fields.js';
export {
  traceTrajectory,
  traceTrajectories,
  traceEnsemble,
  ensembleSpread,
  getTrajectory,
  concatTrajectorySets,
  makeTrajectorySet,
  hysplitStepMinutes,
  autoStepMinutes,
  HYSPLIT_TRATIO,
  DEFAULT_STEP_MINUTES,
  POLAR_LIMIT_DEG,
  type TraceOptions,
  type TraceStart,
  type TraceStartColumns,
  type EnsembleOptions,
  type EnsembleSpread,
  type TrajectoryResult,
  type TrajectorySetResult,
} from './trace.js';
export {
  readTdump,
  writeTdump,
  trajectoriesToGeoJson,
  trajectoriesToCsv,
  type TdumpResult,
  type TdumpGrid,
  type TdumpStart,
  type ReadTdumpOptions,
  type WriteTdumpOptions,
  type TrajectoryGeoJsonOptions,
} from './trajectory-formats.js';
export {
  readTrajectories,
  readTrajectoriesCsv,
  readTrajectoriesGeoJson,
  type TrajectoryFileResult,
  type ReadTrajectoriesGeoJsonOptions,
} from './trajectory-readers.js';
export {
  stationWind,
  readWindCsv,
  StationWindField,
  DEFAULT_STATION_REACH_KM,
  type WindObservations,
  type StationWindOptions,
  type WindCsvResult,
  type ReadWindCsvOptions,
} from './station.js';
export {
  windFromNetcdf,
  readNetcdfWind,
  parseCfTimeUnits,
  parseCfCalendar,
  decodeCfTimes,
  type NetcdfWindOptions,
  type NetcdfWindResult,
  type CfCalendar,
  type CfTimes,
  openNetcdfWindFrames,
  FrameWindowField,
  type ByteSource,
  type NetcdfWindFrames,
  type NetcdfWindFramesOptions,
  type NetcdfWindScan,
} from './netcdf.js';
export { windFromGeoTiff, type GeoTiffWindOptions } from './geotiff.js';
export { openWind, WIND_INPUT_FORMATS, type OpenWindOptions, type OpenedWind, type WindInput, type WindInputKind, type WindBytes } from './open.js';
export {
  pressureLevelWind,
  PressureLevelWindField,
  isWindField3D,
  isaHeightM,
  isaPressurePa,
  isaTemperatureK,
  GRAVITY,
  R_DRY_AIR,
  WIND_ABOVE_TOP,
  S3,
  SAMPLE3D_LENGTH,
  type PressureLevelWindArrays,
  type WindField3D,
} from './field3d.js';
export {
  traceTrajectories3d,
  autoStepMinutes3d,
  type VerticalMotion,
  type Trace3DOptions,
  type TraceStart3D,
  type TrajectorySet3D,
} from './trace3d.js';
export { readNetcdf3d, windFromNetcdf3d, hasPressureLevels, type Netcdf3dOptions, type Netcdf3dResult } from './netcdf3d.js';
export { windFromGrib2, readGrib2Wind, type Grib2WindOptions, type Grib2WindResult } from './grib2.js';
