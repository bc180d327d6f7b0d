import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectEpisodes } from '../../src/attribution/index.js';
import { readStationSeriesCsv } from '../../src/io/index.js';

const H = 3_600_000;
const DAY = 24 * H;
// Local (+07:00) midnight starting 2026-01-02, the one day at 100 µg/m³.
const D = Date.UTC(2026, 0, 2) - 7 * H;

/** Three local days (2026-01-01..03) of hourly values, 100 on the 2nd and 0 elsewhere, in Air4Thai long form. */
function hourlyCsv(label: 'end' | 'start'): string {
  const rows = ['station_id,date_local,time_local,pm25_ugm3'];
  for (let d = 1; d <= 3; d++) {
    for (let h = 0; h < 24; h++) {
      // Hour-ending labels run 01:00..24:00 on the day they close; hour-starting ones 00:00..23:00.
      const clock = label === 'end' ? `${String(h + 1).padStart(2, '0')}:00` : `${String(h).padStart(2, '0')}:00`;
      rows.push(`35T,2026-01-0${d},${clock},${d === 2 ? 100 : 0}`);
    }
  }
  return rows.join('\n') + '\n';
}

/** Episodes as plain tuples for comparison. */
const tuples = (r: ReturnType<typeof detectEpisodes>): number[][] => r.episodes.map((e) => [e.start, e.end, e.peakTime, e.peakValue, e.meanValue, e.samples]);

describe('detectEpisodes honours the time basis of readStationSeriesCsv (hour-end labels)', () => {
  for (const label of ['end', 'start'] as const) {
    describe(`file labelled by hour ${label}`, () => {
      const result = readStationSeriesCsv(hourlyCsv(label), { utcOffset: '+07:00', hourLabel: label });
      it('reader stores hour ends and says so', () => {
        expect(result.rejected).toEqual([]);
        expect(result.timeBasis).toBe('hour-end');
        expect(result.series.time[0]).toBe(D - DAY + H); // the 00:00–01:00 local hour of 2026-01-01, stored at its end
      });
      it('daily mean of the 100 µg/m³ day is exactly 100, on that local day', () => {
        for (const input of [result, result.series]) {
          const r = detectEpisodes(input, { averaging: 'daily', utcOffset: '+07:00' });
          expect(tuples(r)).toEqual([[D, D + DAY, D, 100, 100, 1]]);
          expect(r.samplesPerStation).toEqual({ '35t': 3 });
          expect(JSON.parse(JSON.stringify(r)).episodes[0]).toMatchObject({ start: '2026-01-01T17:00:00Z', end: '2026-01-02T17:00:00Z' });
        }
      });
      it('hourly episode covers exactly the 24 hours of that day', () => {
        const r = detectEpisodes(result, { averaging: 'hourly', utcOffset: '+07:00', mergeGapHours: 0 });
        expect(tuples(r)).toEqual([[D, D + DAY, D, 100, 100, 24]]);
      });
      it('rolling 24-h mean: first above 37.5 in the hour [D+9h, D+10h), last in [D+37h, D+38h)', () => {
        // The trailing mean over the 24 h ending at D+10h holds 10 hours of 100 (41.7 > 37.5); at D+9h only 9 (37.5, not above).
        const r = detectEpisodes(result, { averaging: 'rolling24', utcOffset: '+07:00' });
        expect(r.episodes.map((e) => [e.start, e.end])).toEqual([[D + 9 * H, D + 38 * H]]);
        expect(r.episodes[0]!.peakValue).toBe(100);
        expect(r.episodes[0]!.peakTime).toBe(D + 23 * H);
      });
    });
  }

  it('an explicit timeLabel overrides the series (hour-start on hour-end data reproduces the old 95.83)', () => {
    const { series } = readStationSeriesCsv(hourlyCsv('end'));
    const wrong = detectEpisodes(series, { timeLabel: 'hour-start' });
    expect(wrong.episodes[0]!.meanValue).toBeCloseTo((23 * 100) / 24, 12);
    expect(wrong.episodes[0]!.start).toBe(D);
    const right = detectEpisodes({ station: series.station, time: series.time, value: series.values['pm25_ugm3']! }, { timeLabel: 'hour-end' });
    expect(tuples(right)).toEqual([[D, D + DAY, D, 100, 100, 1]]);
  });

  it('plain series default to interval starts; a timeBasis on them is read', () => {
    const time = Array.from({ length: 72 }, (_, i) => D - DAY + i * H);
    const value = time.map((t) => (t >= D && t < D + DAY ? 100 : 0));
    const starts = detectEpisodes({ station: 'a', time, value }, { averaging: 'hourly' });
    expect(starts.episodes.map((e) => [e.start, e.end])).toEqual([[D, D + DAY]]);
    const ends = detectEpisodes({ station: 'a', time: time.map((t) => t + H), value, timeBasis: 'hour-end' }, { averaging: 'hourly' });
    expect(tuples(ends)).toEqual(tuples(starts));
  });

  it('daily rows (date only) are day starts and are not shifted', () => {
    const csv = 'station_id,date,pm25_24h\n35t,2026-01-01,0\n35t,2026-01-02,100\n35t,2026-01-03,0\n';
    const r = readStationSeriesCsv(csv);
    expect(r.timeBasis).toBe('day-start');
    for (const input of [r, r.series]) expect(tuples(detectEpisodes(input))).toEqual([[D, D + DAY, D, 100, 100, 1]]);
  });

  it('hour-end labels equal hour-start labels one step earlier, for any series and averaging (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: -30, max: 30 }),
        fc.constantFrom('hourly', 'rolling24', 'daily'),
        (vals, shiftH, averaging) => {
          const t0 = D + shiftH * H;
          const time = vals.map((_, i) => t0 + i * H);
          const opts = { averaging: averaging as 'hourly' | 'rolling24' | 'daily', stepHours: 1 };
          const a = detectEpisodes({ station: 's', time, value: vals }, opts);
          const b = detectEpisodes({ station: 's', time: time.map((t) => t + H), value: vals }, { ...opts, timeLabel: 'hour-end' });
          expect(tuples(b)).toEqual(tuples(a));
          expect(b.samplesPerStation).toEqual(a.samplesPerStation);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects an unknown time label or basis', () => {
    const s = { station: 'a', time: [0], value: [1] };
    expect(() => detectEpisodes(s, { timeLabel: 'middle' as 'hour-end' })).toThrow(/options\.timeLabel/);
    expect(() => detectEpisodes({ ...s, timeBasis: 'noon' as 'hour-end' })).toThrow(/series\.timeBasis/);
  });
});
