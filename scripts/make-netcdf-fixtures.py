#!/usr/bin/python3
"""Make the small NetCDF wind fixtures in test/fixtures/wind/ (Debian: apt-get install -y python3-netcdf4).

Three files, each a few times x ~10x10 grid, with analytic winds so tests can recompute every value:
  u(t, lat, lon) = 5 + 0.1*(lon - 98) + 1.0*t_index      (m/s; + 2*level_index for the GFS-like file)
  v(t, lat, lon) = -3 + 0.2*(lat - 22) - 0.5*t_index

- era5_like_packed.nc : NetCDF4/HDF5 as the new CDS delivers ERA5 single levels: `valid_time`
  ("seconds since 1970-01-01"), `latitude` north->south, `longitude` -180..180, u10/v10 packed int16
  with scale_factor/add_offset and _FillValue (two cells filled).
- gfs_like.nc : NetCDF4/HDF5 pressure levels: `time` ("hours since 1900-01-01 00:00:00.0"),
  `level` (1000, 850 hPa), latitude north->south, longitude 0..360 (values 350..352.25, i.e. west of 0),
  float32 u/v with missing_value.
- classic_nc3.nc : NetCDF3 classic: `time` ("hours since 1900-01-01"), `lat` south->north, `lon`,
  float u10/v10 with _FillValue on one cell.
Also the wind GeoTIFFs (GDAL Python bindings, Debian python3-gdal), same formulas with t_index = band index
and lat0 = 18, one band per hour, band description = ISO time (the CLI's U.tif,V.tif contract):
- wind_u_4326.tif / wind_v_4326.tif : EPSG:4326, 8x6 pixels of 0.25 deg, NoData -9999 on one pixel of band 2.
- wind_uv_32647.tif : EPSG:32647 (UTM 47N), 6x5 pixels of 10 km, 4 bands u0 v0 u1 v1 (one file, u and v as bands).
Re-run from the repo root with the system Python that has python3-netcdf4: /usr/bin/python3 scripts/make-netcdf-fixtures.py
"""
import datetime as dt
import os

import numpy as np
from netCDF4 import Dataset

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'wind')
os.makedirs(OUT, exist_ok=True)
T0 = dt.datetime(2025, 4, 22, 0, 0, tzinfo=dt.timezone.utc)


def fields(lats, lons, nt, lon0=98.0, nlev=0):
    shape = (nt, nlev, len(lats), len(lons)) if nlev else (nt, len(lats), len(lons))
    u = np.zeros(shape)
    v = np.zeros(shape)
    for t in range(nt):
        for j, la in enumerate(lats):
            for i, lo in enumerate(lons):
                if nlev:
                    for k in range(nlev):
                        u[t, k, j, i] = 5 + 0.1 * (lo - lon0) + 1.0 * t + 2 * k
                        v[t, k, j, i] = -3 + 0.2 * (la - 22) - 0.5 * t
                else:
                    u[t, j, i] = 5 + 0.1 * (lo - lon0) + 1.0 * t
                    v[t, j, i] = -3 + 0.2 * (la - 22) - 0.5 * t
    return u, v


def era5():
    lats = np.arange(24.25, 21.99, -0.25)  # 10 rows, north -> south
    lons = np.arange(98.0, 100.49, 0.25)  # 10 cols
    nt = 4
    u, v = fields(lats, lons, nt)
    with Dataset(os.path.join(OUT, 'era5_like_packed.nc'), 'w', format='NETCDF4') as ds:
        ds.createDimension('valid_time', nt)
        ds.createDimension('latitude', len(lats))
        ds.createDimension('longitude', len(lons))
        vt = ds.createVariable('valid_time', 'i8', ('valid_time',))
        vt.units = 'seconds since 1970-01-01'
        vt.calendar = 'proleptic_gregorian'
        vt[:] = [int(T0.timestamp()) + 3600 * k for k in range(nt)]
        la = ds.createVariable('latitude', 'f8', ('latitude',))
        la.units = 'degrees_north'
        la[:] = lats
        lo = ds.createVariable('longitude', 'f8', ('longitude',))
        lo.units = 'degrees_east'
        lo[:] = lons
        for name, data in (('u10', u), ('v10', v)):
            var = ds.createVariable(name, 'i2', ('valid_time', 'latitude', 'longitude'), fill_value=-32767)
            lo_, hi_ = data.min(), data.max()
            scale = (hi_ - lo_) / 60000.0
            offset = (hi_ + lo_) / 2.0
            var.scale_factor = scale
            var.add_offset = offset
            var.units = 'm s**-1'
            var.set_auto_maskandscale(True)
            masked = np.ma.masked_array(data, mask=np.zeros(data.shape, bool))
            masked.mask[1, 0, 0] = True  # valid_time 1, northernmost row, west column
            masked.mask[2, 9, 9] = True  # valid_time 2, southernmost row, east column
            var[:] = masked


def gfs():
    lats = np.arange(21.0, 18.74, -0.25)  # 10 rows north -> south
    lons = np.arange(350.0, 352.49, 0.25)  # 0..360 convention
    nt = 3
    u, v = fields(lats, lons, nt, lon0=350.0, nlev=2)
    with Dataset(os.path.join(OUT, 'gfs_like.nc'), 'w', format='NETCDF4') as ds:
        ds.createDimension('time', nt)
        ds.createDimension('level', 2)
        ds.createDimension('latitude', len(lats))
        ds.createDimension('longitude', len(lons))
        t = ds.createVariable('time', 'f8', ('time',))
        t.units = 'hours since 1900-01-01 00:00:00.0'
        base = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
        t[:] = [(T0 - base).total_seconds() / 3600 + 3 * k for k in range(nt)]
        lev = ds.createVariable('level', 'f4', ('level',))
        lev.units = 'millibars'
        lev[:] = [1000, 850]
        ds.createVariable('latitude', 'f4', ('latitude',))[:] = lats
        ds.createVariable('longitude', 'f4', ('longitude',))[:] = lons
        for name, data in (('u', u), ('v', v)):
            var = ds.createVariable(name, 'f4', ('time', 'level', 'latitude', 'longitude'))
            var.missing_value = np.float32(-9.99e8)
            var.set_auto_maskandscale(False)
            var[:] = data.astype('f4')


def classic():
    lats = np.arange(18.0, 20.26, 0.25)  # south -> north
    lons = np.arange(98.0, 100.26, 0.25)
    nt = 3
    u, v = fields(lats, lons, nt)
    u[0, 3, 4] = -999.0
    with Dataset(os.path.join(OUT, 'classic_nc3.nc'), 'w', format='NETCDF3_CLASSIC') as ds:
        ds.createDimension('time', None)
        ds.createDimension('lat', len(lats))
        ds.createDimension('lon', len(lons))
        t = ds.createVariable('time', 'f8', ('time',))
        t.units = 'hours since 1900-01-01'
        base = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
        t[:] = [(T0 - base).total_seconds() / 3600 + 6 * k for k in range(nt)]
        ds.createVariable('lat', 'f8', ('lat',))[:] = lats
        ds.createVariable('lon', 'f8', ('lon',))[:] = lons
        for name, data in (('u10', u), ('v10', v)):
            var = ds.createVariable(name, 'f4', ('time', 'lat', 'lon'), fill_value=np.float32(-999.0))
            var.set_auto_maskandscale(False)
            var[:] = data.astype('f4')


def geotiffs():
    from osgeo import gdal, osr
    iso = [(T0 + dt.timedelta(hours=k)).strftime('%Y-%m-%dT%H:%M:%SZ') for k in range(3)]
    def uv(lng, lat, k):
        return 5 + 0.1 * (lng - 98) + k, -3 + 0.2 * (lat - 18) - 0.5 * k
    drv = gdal.GetDriverByName('GTiff')
    # EPSG:4326, north-up: top-left corner 98.0E 19.5N, 0.25 deg pixels, 8 wide, 6 high
    srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
    for comp in (0, 1):
        name = 'wind_u_4326.tif' if comp == 0 else 'wind_v_4326.tif'
        ds = drv.Create(os.path.join(OUT, name), 8, 6, 3, gdal.GDT_Float32)
        ds.SetGeoTransform((98.0, 0.25, 0, 19.5, 0, -0.25))
        ds.SetProjection(srs.ExportToWkt())
        for k in range(3):
            a = np.zeros((6, 8), dtype='f4')
            for r in range(6):
                for c in range(8):
                    a[r, c] = uv(98.0 + 0.25 * (c + 0.5), 19.5 - 0.25 * (r + 0.5), k)[comp]
            if k == 1:
                a[2, 3] = -9999
            b = ds.GetRasterBand(k + 1)
            b.SetNoDataValue(-9999)
            b.SetDescription(iso[k])
            b.WriteArray(a)
        ds = None
    # EPSG:32647, 10 km pixels, top-left (480000 E, 2120000 N), 6 wide, 5 high; bands u0 v0 u1 v1
    utm = osr.SpatialReference(); utm.ImportFromEPSG(32647)
    geo = osr.SpatialReference(); geo.ImportFromEPSG(4326)
    geo.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    tr = osr.CoordinateTransformation(utm, geo)
    ds = drv.Create(os.path.join(OUT, 'wind_uv_32647.tif'), 6, 5, 4, gdal.GDT_Float32)
    ds.SetGeoTransform((480000, 10000, 0, 2120000, 0, -10000))
    ds.SetProjection(utm.ExportToWkt())
    for band, (k, comp) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        a = np.zeros((5, 6), dtype='f4')
        for r in range(5):
            for c in range(6):
                lng, lat, _ = tr.TransformPoint(480000 + 10000 * (c + 0.5), 2120000 - 10000 * (r + 0.5))
                a[r, c] = uv(lng, lat, k)[comp]
        b = ds.GetRasterBand(band + 1)
        b.SetDescription(iso[k])
        b.WriteArray(a)
    ds = None


if __name__ == '__main__':
    geotiffs()
    era5()
    gfs()
    classic()
    for f in sorted(os.listdir(OUT)):
        if f.endswith('.nc') or f.endswith('.tif'):
            print(f, os.path.getsize(os.path.join(OUT, f)), 'bytes')
