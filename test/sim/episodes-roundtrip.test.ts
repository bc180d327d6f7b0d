import { describe, expect, it } from 'vitest';
import { detectEpisodes } from '../../src/attribution/index.js';
import { readStationSeriesCsv } from '../../src/io/index.js';
import { griddedWind } from '../../src/wind/index.js';
import { buildScenario, exportScenario, observe, runDispersion } from '../../src/sim/index.js';

const H = 3_600_000;

// The twin experiment has two routes to the monitors' PM2.5: the in-memory series (hour-start times) and
// pm25_hourly.csv (Thai hour-ending local labels) read back with hazetrace/io. Both must give the same episodes.
describe('sim observations: in-memory series and exported CSV give the same episodes', () => {
  // One run starting at local midnight (+07:00), one at 07:00 local (the default start) so partial first/last days matter.
  for (const start of ['2025-02-28T17:00:00Z', '2025-03-01T00:00:00Z']) {
    it(`start ${start}`, () => {
      const scenario = buildScenario({ seed: 11, start, hours: 72, dispersion: { particlesPerHour: 150 } });
      const dispersion = runDispersion(scenario, griddedWind(scenario.wind));
      const observations = observe(scenario, dispersion);
      const mem = observations.series;
      expect(mem.timeBasis).toBe('hour-start');
      expect(mem.time[0]).toBe(Date.parse(start));
      const files = exportScenario({ scenario, dispersion, observations });
      const offset = scenario.config.utcOffset; // minutes east of UTC
      const read = readStationSeriesCsv(files['pm25_hourly.csv']!, { utcOffset: offset });
      expect(read.rejected).toEqual([]);
      expect(read.timeBasis).toBe('hour-end');
      expect(read.series.length).toBe(mem.length);
      // Same rows in the same order, each stored one hour later (at its end) and with the same value.
      expect(Array.from(read.series.time)).toEqual(Array.from(mem.time, (t) => t + H));
      expect(Array.from(read.series.values['pm25_ugm3']!)).toEqual(Array.from(mem.values['pm25_ugm3']!));

      const pm = Array.from(mem.values['pm25_ugm3']!);
      const sorted = [...pm].sort((a, b) => a - b);
      // A threshold at the 70th percentile so every averaging finds episodes in this short run.
      const threshold = sorted[Math.floor(sorted.length * 0.7)]!;
      for (const averaging of ['daily', 'rolling24', 'hourly'] as const) {
        const opts = { threshold, averaging, utcOffset: offset };
        const a = detectEpisodes(mem, opts);
        expect(a.episodes.length).toBeGreaterThan(0);
        expect(detectEpisodes(read, opts).toJSON()).toEqual(a.toJSON());
        expect(detectEpisodes(read.series, opts).toJSON()).toEqual(a.toJSON());
      }
      // Hourly episodes are on the dispersion's own hour bins: every start is one of the run's hour starts.
      const hourly = detectEpisodes(mem, { threshold, averaging: 'hourly', utcOffset: offset });
      const hours = new Set(Array.from(mem.time));
      for (const e of hourly.episodes) expect(hours.has(e.start)).toBe(true);
    });
  }
});
