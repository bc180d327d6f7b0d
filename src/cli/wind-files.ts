/** Gridded wind from NetCDF or GeoTIFF bytes, through the wind module's readers. */
import type { WindField } from '../core/index.js';
import * as wind from '../wind/index.js';
import { CliError, EXIT, withInput } from './errors.js';

type NetcdfReader = (bytes: ArrayBuffer | Uint8Array) => Promise<WindField>;
type GeoTiffReader = (u: ArrayBuffer, v: ArrayBuffer) => Promise<WindField>;

export type WindFiles = { kind: 'netcdf'; data: ArrayBuffer; where: string } | { kind: 'geotiff'; u: ArrayBuffer; v: ArrayBuffer; where: string };

export async function windFromFiles(f: WindFiles): Promise<WindField> {
  const mod = wind as unknown as Record<string, unknown>;
  if (f.kind === 'netcdf') {
    const read = mod['windFromNetcdf'] as NetcdfReader | undefined;
    if (!read) throw new CliError(EXIT.INTERNAL, 'this build has no NetCDF wind reader (windFromNetcdf)', { where: f.where });
    return withInput(f.where, () => read(f.data), 'give an ERA5-style NetCDF with u10/v10 on a time or valid_time axis');
  }
  const read = mod['windFromGeoTiff'] as GeoTiffReader | undefined;
  if (!read) throw new CliError(EXIT.INTERNAL, 'this build has no GeoTIFF wind reader (windFromGeoTiff)', { where: f.where });
  return withInput(f.where, () => read(f.u, f.v), 'give two multi-band GeoTIFFs (U, V), one band per hour, band description = ISO time');
}
