/**
 * Node-only: open a wind file by path (or a GeoTIFF pair by two paths) through hazetrace/wind's `openWind`,
 * which recognises the format from the content.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { HazetraceError, showValue } from '../core/errors.js';
import { openWind, type OpenWindOptions, type OpenedWind } from '../wind/open.js';
import { openNetcdfWindFrames, type ByteSource, type NetcdfWindFrames, type NetcdfWindFramesOptions } from '../wind/netcdf.js';

/** Paths accepted by {@link openWindFile}: one file, `'U.tif,V.tif'`, `[u, v]` or `{ u, v }`. */
export type WindPaths = string | readonly string[] | { u: string; v: string };

function splitPaths(p: WindPaths): string[] {
  if (typeof p === 'string') return p.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(p)) return (p as readonly unknown[]).map((s) => (typeof s === 'string' ? s : ''));
  if (p !== null && typeof p === 'object' && 'u' in p && 'v' in p) return [p.u, p.v];
  return [];
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new HazetraceError(err.code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `cannot read ${JSON.stringify(path)}: ${err.message}`, { path, cause: err.code });
  }
}

/**
 * Read a wind file (NetCDF 3/4 or point-wind CSV) or a GeoTIFF pair — `'U.tif,V.tif'`, `[u, v]` or `{ u, v }` —
 * and open it with `openWind` (format from the content, not the extension). `describe` names the file(s) unless
 * `options.label` is given. Errors: `E_ARG` for anything but one or two paths, `E_NOT_FOUND`/`E_IO` when a file
 * cannot be read, and `openWind`'s errors with the path prefixed to the message.
 *
 * @example
 * ```ts
 * import { openWindFile } from 'hazetrace/node';
 * const nc = await openWindFile('test/fixtures/cli/wind_era5_valid_time.nc');
 * nc.kind; // 'netcdf4'
 * const tif = await openWindFile('test/fixtures/cli/wind_u.tif,test/fixtures/cli/wind_v.tif');
 * tif.kind; // 'geotiff'
 * const pts = await openWindFile('test/fixtures/cli/real_wind_2pt.csv');
 * pts.coarse; // true (two sites)
 * ```
 */
export async function openWindFile(pathOrPaths: WindPaths, options: OpenWindOptions = {}): Promise<OpenedWind> {
  const paths = splitPaths(pathOrPaths);
  if ((paths.length !== 1 && paths.length !== 2) || paths.some((s) => s === '')) {
    throw new HazetraceError('E_ARG', `pathOrPaths must be one wind file or two GeoTIFFs "U.tif,V.tif", got ${showValue(pathOrPaths)}`, { argument: 'pathOrPaths', value: pathOrPaths });
  }
  const label = options.label ?? paths.join(' + ');
  const opts: OpenWindOptions = { ...options, label };
  try {
    if (paths.length === 2) {
      const [u, v] = await Promise.all(paths.map(bytesOf));
      return await openWind({ u: u!, v: v! }, opts);
    }
    return await openWind(await bytesOf(paths[0]!), opts);
  } catch (e) {
    if (!(e instanceof HazetraceError) || e.code === 'E_NOT_FOUND' || e.code === 'E_IO') throw e;
    const msg = e.message.replace('pass { u, v }', 'pass two paths "U.tif,V.tif"');
    throw new HazetraceError(e.code, `${paths.join(', ')}: ${msg}`, { ...(e.details ?? {}), path: label });
  }
}

/**
 * Open a NetCDF3 wind file for windowed reading (`openNetcdfWindFrames` over the file's bytes on disk): the header,
 * the coordinates and one streaming pass over u and v are read now; `field(from, to)` later reads only the frames of
 * that time range (UTC ms), so memory follows the window, not the file. Nothing of the file is held between reads and
 * no file handle stays open. `options` as `windFromNetcdf`'s (default u10/v10). Errors: `E_NOT_FOUND`/`E_IO` when the
 * file cannot be read, `E_FORMAT` for NetCDF4/HDF5 or other content (open those with {@link openWindFile}).
 *
 * @example
 * ```ts
 * import { openNetcdfWindFile } from 'hazetrace/node';
 * const frames = await openNetcdfWindFile('test/fixtures/wind/classic_nc3.nc');
 * const f = await frames.field(frames.times[0]!, frames.times[1]!);
 * f.loaded[0] === frames.times[0]; // true
 * ```
 */
export async function openNetcdfWindFile(path: string, options: NetcdfWindFramesOptions = {}): Promise<NetcdfWindFrames> {
  if (typeof path !== 'string' || path === '') throw new HazetraceError('E_ARG', `path must be a wind file path, got ${showValue(path)}`, { argument: 'path', value: path });
  const fail = (e: unknown): never => {
    const err = e as NodeJS.ErrnoException;
    throw new HazetraceError(err.code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `cannot read ${JSON.stringify(path)}: ${err.message}`, { path, cause: err.code });
  };
  const size = await stat(path).then((s) => s.size, fail);
  const source: ByteSource = {
    size,
    async read(offset, length) {
      const fh = await open(path, 'r').catch(fail);
      try {
        const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      } catch (e) {
        return fail(e);
      } finally {
        await fh.close();
      }
    },
  };
  try {
    return await openNetcdfWindFrames(source, options);
  } catch (e) {
    if (!(e instanceof HazetraceError) || e.code === 'E_NOT_FOUND' || e.code === 'E_IO') throw e;
    throw new HazetraceError(e.code, `${path}: ${e.message}`, { ...(e.details ?? {}), path });
  }
}
