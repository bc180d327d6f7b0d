/**
 * hazetrace/wind: wind fields (uniform, gridded, station IDW, GeoTIFF, NetCDF) and HYSPLIT-style
 * trajectories (single, batch, ensembles), with HYSPLIT tdump, GeoJSON and CSV in and out.
 */
export * from './fields.js';
export * from './trace.js';
export * from './files.js';
export * from './station.js';
export * from './netcdf.js';
export * from './geotiff.js';
