import { describe, expect, it } from 'vitest';
import { HazetraceError } from '../../src/core/index.js';
import { createTracePool, traceTrajectoriesParallel, windFieldSpec } from '../../src/node/trace-workers.js';
import { griddedWind, stationWind, traceTrajectories, uniformWind } from '../../src/wind/index.js';

const H = 3_600_000;

function field() {
  const nx = 41, ny = 41, nt = 25;
  const u = new Float32Array(nx * ny * nt);
  const v = new Float32Array(nx * ny * nt);
  for (let t = 0; t < nt; t++) for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) {
    const i = (t * ny + r) * nx + c;
    u[i] = 4 + 3 * Math.sin(r * 0.2 + t * 0.1);
    v[i] = -2 + 2 * Math.cos(c * 0.15 - t * 0.05);
  }
  return griddedWind({ west: 95, south: 15, dLng: 0.25, dLat: 0.25, nx, ny, times: Array.from({ length: nt }, (_, k) => k * H), u, v });
}

describe('worker threads', () => {
  it('traceTrajectoriesParallel gives exactly the single-thread TrajectorySet, in start order', async () => {
    const f = field();
    const starts = Array.from({ length: 37 }, (_, i) => ({ lng: 99 + (i % 5) * 0.2, lat: 19 + (i % 7) * 0.1, time: (12 + (i % 12)) * H, receptor: `r${i}`, member: i % 3 }));
    const one = traceTrajectories(f, starts, { hours: 12, stepMinutes: 10 });
    const par = await traceTrajectoriesParallel(f, starts, { hours: 12, stepMinutes: 10, workers: 2 });
    expect(par.length).toBe(37);
    expect(Array.from(par.offsets)).toEqual(Array.from(one.offsets));
    expect(Array.from(par.lng)).toEqual(Array.from(one.lng));
    expect(Array.from(par.lat)).toEqual(Array.from(one.lat));
    expect(Array.from(par.time)).toEqual(Array.from(one.time));
    expect(par.receptor).toEqual(one.receptor);
    expect(Array.from(par.member)).toEqual(Array.from(one.member));
    expect(par.stopReason).toEqual(one.stopReason);
  }, 60_000);

  it('a pool is reusable, and errors come back as HazetraceError with the right start index', async () => {
    const pool = await createTracePool({ workers: 2 });
    try {
      const w = uniformWind({ speed: 5, directionFrom: 45 });
      const a = await pool.trace(w, [{ lng: 99, lat: 18, time: 0 }], { hours: 3 });
      expect(a.length).toBe(1);
      const f = field();
      const b = await pool.trace(f, { lng: [99, 99.5, 100], lat: [19, 19, 19], time: [12 * H, 12 * H, 12 * H] }, { hours: 6 });
      expect(b.length).toBe(3);
      await expect(pool.trace(f, [{ lng: 99, lat: 19, time: 12 * H }, { lng: 0, lat: 0, time: 0 }], { hours: 6 })).rejects.toThrow(/starts\[1\]/);
      await expect(pool.trace(f, [{ lng: 99, lat: 19, time: 12 * H }], { hours: -6 })).rejects.toBeInstanceOf(HazetraceError);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('only uniform and gridded fields cross to workers', () => {
    const s = stationWind({ site: ['a'], lng: [0], lat: [0], time: [0], u: [1], v: [0] });
    expect(() => windFieldSpec(s)).toThrow(/uniformWind or griddedWind/);
    const spec = windFieldSpec(field());
    expect(spec.kind).toBe('gridded');
    if (spec.kind === 'gridded') expect(spec.u.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
