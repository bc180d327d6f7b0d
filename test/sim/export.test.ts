import { describe, expect, it } from 'vitest';
import { readFirmsCsv, readStationsCsv } from '../../src/io/index.js';
import { griddedWind, windFromNetcdf } from '../../src/wind/index.js';
import { buildScenario, exportScenario, exportScenarioFiles, observe, perturbWind, runDispersion, windToNetcdf } from '../../src/sim/index.js';

describe('scenario export', () => {
  const scenario = buildScenario({ seed: 4, hours: 48, dispersion: { particlesPerHour: 200 }, facilities: [{ id: 'f1', lng: 99.73, lat: 18.3, emissionKgPerHour: 500 }] });
  const dispersion = runDispersion(scenario, griddedWind(scenario.wind));
  const observations = observe(scenario, dispersion);
  const perturbedWind = perturbWind(scenario.wind, scenario.config.observation, 4);
  const files = exportScenario({ scenario, dispersion, observations, perturbedWind });

  it('writes FIRMS CSV that hazetrace/io reads back row for row', () => {
    const h = observations.hotspots;
    expect(h.length).toBeGreaterThan(0);
    const { hotspots, rejected } = readFirmsCsv(files['hotspots_firms.csv']!);
    expect(rejected).toEqual([]);
    expect(hotspots.length).toBe(h.length);
    for (let i = 0; i < h.length; i++) {
      expect(hotspots.lng[i]).toBeCloseTo(h.lng[i]!, 5);
      expect(hotspots.lat[i]).toBeCloseTo(h.lat[i]!, 5);
      expect(hotspots.time[i]).toBe(h.time[i]); // overpasses fall on whole minutes
      expect(hotspots.frp[i]).toBe(h.frp[i]);
    }
    expect(hotspots.extra['source_id']).toEqual(h.extra['source_id']);
  });
  it('writes stations, wind arrays griddedWind accepts, and truth consistent with the run', () => {
    const st = readStationsCsv(files['stations.csv']!);
    expect(st.rejected).toEqual([]);
    expect(st.stations.id).toEqual(scenario.monitors.map((m) => m.id));
    const w = JSON.parse(files['wind_perturbed.json']!);
    const f = griddedWind(w);
    const a = new Float64Array(2), b = new Float64Array(2);
    griddedWind(perturbedWind).sample(99.1, 18.9, scenario.config.startMs + 5.5 * 3_600_000, a);
    f.sample(99.1, 18.9, scenario.config.startMs + 5.5 * 3_600_000, b);
    expect(b[0]).toBeCloseTo(a[0]!, 3);
    expect(b[1]).toBeCloseTo(a[1]!, 3);
    const truth = JSON.parse(files['truth.json']!);
    expect(truth.massBalance.relativeError).toBeLessThan(1e-9);
    const m0 = scenario.monitors[0]!.id;
    const hour = truth.monitors[m0][30];
    const sumCat = Object.values(hour.byCategory as Record<string, number>).reduce((p, q) => p + q, 0);
    expect(sumCat).toBeCloseTo(hour.total, 4);
    expect(files['facilities.csv']!.split('\n')[1]).toMatch(/^f1,f1,18\.3,99\.73,THA,coal,/);
    expect(JSON.parse(files['areas.geojson']!).features.length).toBe(2);
    expect(files['pm25_hourly.csv']!.split('\n').length - 2).toBe(observations.series.length);
  });
  it('writes the winds as ERA5-style NetCDF that windFromNetcdf reads back to the same field', async () => {
    const bytes = windToNetcdf(perturbedWind);
    expect(String.fromCharCode(...bytes.slice(0, 3))).toBe('CDF');
    const f = await windFromNetcdf(bytes);
    const g = griddedWind(perturbedWind);
    expect(f.timeRange).toEqual(g.timeRange);
    const a = new Float64Array(2), b = new Float64Array(2);
    let worst = 0;
    // Off-grid points and times, so the bilinear/time interpolation and the north→south flip are exercised.
    for (let k = 0; k < 200; k++) {
      const lng = 96.05 + ((k * 0.37) % 6.9), lat = 16.05 + ((k * 0.53) % 6.9), t = scenario.config.startMs + ((k * 1.7) % 47) * 3_600_000;
      g.sample(lng, lat, t, a);
      f.sample(lng, lat, t, b);
      worst = Math.max(worst, Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!));
    }
    expect(worst).toBeLessThan(1e-5); // float32 storage
    expect(worst).toBeGreaterThanOrEqual(0);
    const all = exportScenarioFiles({ scenario, dispersion, observations, perturbedWind });
    expect(all['wind_perturbed.nc']).toBeInstanceOf(Uint8Array);
    expect(all['wind_true.nc']).toBeInstanceOf(Uint8Array);
    const countries = JSON.parse(files['countries.geojson']!);
    expect(countries.features.map((x: { properties: { iso_a3: string } }) => x.properties.iso_a3)).toContain('THA');
  });
});
