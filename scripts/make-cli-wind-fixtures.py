#!/usr/bin/python3
"""Write the CLI's wind fixtures from a JSON grid (see scripts/make-cli-fixtures.mjs), the two ways the
`hazetrace attribute --wind` contract accepts gridded wind:
- wind_era5_valid_time.nc : NetCDF4 like the new CDS ERA5 single levels: `valid_time` (int64 seconds since
  1970-01-01), `latitude` north->south, `longitude`, float32 `u10`/`v10`.
- wind_era5_time.nc       : NetCDF3 classic like older ERA5: `time` (int32 hours since 1900-01-01 00:00:00.0),
  `latitude` north->south, `longitude`, float32 `u10`/`v10`.
- wind_u.tif, wind_v.tif  : EPSG:4326 GeoTIFFs, pixel centres on the same grid points, one band per time,
  band description = ISO 8601 UTC time.
Needs Debian python3-netcdf4 and python3-gdal.  Usage: /usr/bin/python3 make-cli-wind-fixtures.py GRID.json OUTDIR
"""
import datetime as dt
import json
import os
import sys

import numpy as np
from netCDF4 import Dataset
from osgeo import gdal, osr

grid = json.load(open(sys.argv[1]))
out = sys.argv[2]
nx, ny = grid['nx'], grid['ny']
times_ms = np.array(grid['times'], dtype=np.int64)
nt = len(times_ms)
# JSON layout: [t][row][col], row 0 southernmost. NetCDF/GeoTIFF convention here: north first.
u = np.array(grid['u'], dtype=np.float32).reshape(nt, ny, nx)[:, ::-1, :]
v = np.array(grid['v'], dtype=np.float32).reshape(nt, ny, nx)[:, ::-1, :]
lats = (grid['south'] + grid['dLat'] * np.arange(ny))[::-1]
lons = grid['west'] + grid['dLng'] * np.arange(nx)


def write_nc(path, fmt, tname):
    with Dataset(path, 'w', format=fmt) as ds:
        ds.createDimension(tname, nt)
        ds.createDimension('latitude', ny)
        ds.createDimension('longitude', nx)
        if tname == 'valid_time':
            tv = ds.createVariable('valid_time', 'i8', ('valid_time',))
            tv.units = 'seconds since 1970-01-01'
            tv[:] = times_ms // 1000
        else:
            tv = ds.createVariable('time', 'i4', ('time',))
            tv.units = 'hours since 1900-01-01 00:00:00.0'
            tv[:] = (times_ms // 1000 + 2208988800) // 3600
        tv.calendar = 'gregorian'
        la = ds.createVariable('latitude', 'f4', ('latitude',))
        la.units = 'degrees_north'
        la[:] = lats
        lo = ds.createVariable('longitude', 'f4', ('longitude',))
        lo.units = 'degrees_east'
        lo[:] = lons
        for name, arr, long in (('u10', u, '10 metre U wind component'), ('v10', v, '10 metre V wind component')):
            var = ds.createVariable(name, 'f4', (tname, 'latitude', 'longitude'))
            var.units = 'm s**-1'
            var.long_name = long
            var[:] = arr


write_nc(os.path.join(out, 'wind_era5_valid_time.nc'), 'NETCDF4', 'valid_time')
write_nc(os.path.join(out, 'wind_era5_time.nc'), 'NETCDF3_CLASSIC', 'time')

srs = osr.SpatialReference()
srs.ImportFromEPSG(4326)
for name, arr in (('wind_u.tif', u), ('wind_v.tif', v)):
    drv = gdal.GetDriverByName('GTiff')
    ds = drv.Create(os.path.join(out, name), nx, ny, nt, gdal.GDT_Float32, options=['COMPRESS=DEFLATE', 'INTERLEAVE=BAND'])
    # Pixel-is-area: the top-left corner is half a cell west/north of the first grid point.
    ds.SetGeoTransform((lons[0] - grid['dLng'] / 2, grid['dLng'], 0, lats[0] + grid['dLat'] / 2, 0, -grid['dLat']))
    ds.SetProjection(srs.ExportToWkt())
    for t in range(nt):
        b = ds.GetRasterBand(t + 1)
        b.WriteArray(arr[t])
        b.SetDescription(dt.datetime.fromtimestamp(times_ms[t] / 1000, dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
    ds = None
print('wrote NetCDF and GeoTIFF wind to', out)
