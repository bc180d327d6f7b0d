/** Gridded wind from NetCDF or GeoTIFF bytes, through the wind and io modules' readers. */
import type { WindField } from '../core/index.js';
import { readGeoTiff } from '../io/index.js';
import { windFromGeoTiff, windFromNetcdf } from '../wind/index.js';
import { withInput } from './errors.js';

export type WindFiles = { kind: 'netcdf'; data: ArrayBuffer; where: string } | { kind: 'geotiff'; u: ArrayBuffer; v: ArrayBuffer; where: string };

export async function windFromFiles(f: WindFiles): Promise<WindField> {
  if (f.kind === 'netcdf') {
    return withInput(f.where, () => windFromNetcdf(f.data), 'give an ERA5-style NetCDF with u10/v10 on a time or valid_time axis');
  }
  return withInput(
    f.where,
    async () => windFromGeoTiff(await readGeoTiff(f.u), await readGeoTiff(f.v)),
    'give two multi-band GeoTIFFs (U, V), one band per hour, band description = ISO time',
  );
}
