/** `hazetrace serve`: the HTTP service over the pipeline (Node only). */
export { serve, createServer, SERVE_DEFAULTS, type ServeOptions, type ServeHandle } from './server.js';
export { LiveState, type LiveStateOptions, type LiveEpisode, type ChangeSummary, type IncrementKind, type ParsedIncrement } from './state.js';
export { StateStore, type StoredIncrement } from './store.js';
export { openApiDocument } from './openapi.js';
export { TrajectoryStore, type TrajectoryStoreStats } from './attribution-run.js';
