/**
 * hazetrace/grid — points, polygons and rasters onto H3 cells; mergeable
 * aggregates; interpolation; neighbourhood statistics (docs/grid.md).
 * Cells are h3-js hex strings at this boundary.
 */
export { binPoints, mergeGrids, rollup } from './points.js';
export type { Aggregate, PointsInput, TimeBinOptions, BinPointsOptions, BinnedGrid, GridState } from './points.js';
export { hiLoToString, fastLatLngToCell, fastPathVerified } from './h3fast.js';
export { CellTable } from './cellTable.js';
export { coverPolygon, cellsToPolygons, polygonLookup, assignCellsToPolygons, splitAntimeridian, polygonAreaM2, ringAreaM2 } from './polygons.js';
export type { PolygonGeometry, PolygonInput, CoverOptions, CoverGrid, CellPolygonIndex, PolygonCells, PolygonLookup } from './polygons.js';
export { idwToCells, GeoIndex } from './idw.js';
export type { IdwOptions, IdwGrid } from './idw.js';
export { kRingSmooth, getisOrdGi, normalUpperTail } from './neighbours.js';
export type { GiOptions } from './neighbours.js';
export { rasterToCells } from './raster.js';
export { cellCountBound, boxAreaM2, featuresAreaM2 } from './estimate.js';
export type { RasterToCellsOptions, RasterGrid } from './raster.js';
// Writers (GeoJSON hexagons, CSV with hex_id, Arrow) live in hazetrace/io only: one import path per function.
export { CellInterner } from './cellTable.js';
