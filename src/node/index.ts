/**
 * hazetrace/node: Node-only helpers (file paths, streams). The rest of hazetrace is browser-safe;
 * everything that touches `fs` lives here.
 */
export {
  readFirmsCsvFile,
  readFirmsGeoJsonFile,
  readStationSeriesCsvFile,
  readStationsCsvFile,
  readPointsCsvFile,
  readGeoJsonLayerFile,
  readGeoTiffFile,
  writeOutputFile,
} from './files.js';
import './inflate.js'; // installs Node's zlib as the fast GeoTIFF path's deflate decoder
export * from './trace-workers.js';
export { openWindFile, openNetcdfWindFile, type WindPaths } from './wind.js';
export { isPidAlive } from './pid.js';
export { processUsage, type ProcessUsage } from './usage.js';
export * from './serve/index.js';
export { planBatch, runBatchUnit, mergeBatch, writeMergedBatch, enqueueBatch, startBatchWorker, clearBatch, finishedUnits, type BatchSpec, type BatchUnit, type BatchPlan, type BatchUnitResult, type BatchRows, type BatchQueueOptions, type BatchPlanOptions, type BatchWorkerOptions, type BatchWorkerHandle } from './batch.js';
export { superviseBatchWorker, type BatchSupervisor, type BatchSupervisorOptions, type BatchWorkerProcess } from './batch-supervisor.js';
