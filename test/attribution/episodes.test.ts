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
        fc.constantFrom('hourly', 'rolling24', 'daily', 'event', 'auto'),
        (vals, shiftH, averaging) => {
          const t0 = D + shiftH * H;
          const time = vals.map((_, i) => t0 + i * H);
          const opts = { averaging: averaging as 'hourly' | 'rolling24' | 'daily' | 'event' | 'auto', stepHours: 1 };
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

describe("detectEpisodes averaging 'event': one episode per exceedance event", () => {
  /** 10 days of hourly values at 10 µg/m³ from D, with `set(h)` overriding hour h (hour-start times). */
  function hourly(set: (h: number) => number | undefined): { station: string; time: number[]; value: number[] } {
    const time = Array.from({ length: 240 }, (_, h) => D + h * H);
    return { station: 's', time, value: time.map((_, h) => set(h) ?? 10) };
  }
  const B = 60; // first hour of the first bump
  // A bump of 20 h at 100 over 10: the 24-h mean centred on hour i (hours i−11..i+12) holds k bump hours and is
  // 10 + 90k/24, above 37.5 from k = 8, i.e. for i in [B−5, B+23]. Those windows cover hours B−16..B+35, of which
  // the bump's 20 hours are above 37.5: the event is [B, B+20).
  const bump = (b: number) => (h: number): number | undefined => (h >= b && h < b + 20 ? 100 : undefined);

  it('two bumps 30 h apart are two events, each spanning its high hours', () => {
    const two = hourly((h) => bump(B)(h) ?? bump(B + 50)(h));
    const r = detectEpisodes(two, { averaging: 'event' });
    expect(r.episodes.map((e) => [(e.start - D) / H, (e.end - D) / H, e.samples])).toEqual([
      [B, B + 20, 20],
      [B + 50, B + 70, 20],
    ]);
    // On local-day means the two bumps exceed on four consecutive days (hours 48..143) and merge into one episode.
    expect(detectEpisodes(two, { averaging: 'daily' }).episodes).toHaveLength(1);
  });

  it('one bump with a 1-h dip is one event (hourly judging reports two)', () => {
    const dip = hourly((h) => (h === B + 10 ? 0 : bump(B)(h)));
    const r = detectEpisodes(dip, { averaging: 'event' });
    expect(r.episodes).toHaveLength(1);
    expect(r.episodes[0]!.peakValue).toBe(100);
    expect(detectEpisodes(dip, { averaging: 'hourly', mergeGapHours: 0 }).episodes).toHaveLength(2);
  });

  it('peak time and value are the highest single hour, not the smoothed mean; mean is over the event', () => {
    const peaked = hourly((h) => (h === B + 7 ? 150 : bump(B)(h)));
    const [e] = detectEpisodes(peaked, { averaging: 'event' }).episodes;
    expect(e!.peakTime).toBe(D + (B + 7) * H);
    expect(e!.peakValue).toBe(150);
    // 20 hours [B, B+20): 19 at 100, one at 150.
    expect([e!.start, e!.end]).toEqual([D + B * H, D + (B + 20) * H]);
    expect(e!.meanValue).toBeCloseTo((19 * 100 + 150) / 20, 12);
    expect(e!.threshold).toBe(37.5);
  });

  it('merge gap: two bumps 8 h apart are one event by default (12 h), two with mergeGapHours 6', () => {
    const pair = hourly((h) => ((h >= B && h < B + 12) || (h >= B + 20 && h < B + 32) ? 100 : undefined));
    const span = (r: ReturnType<typeof detectEpisodes>): number[][] => r.episodes.map((e) => [(e.start - D) / H, (e.end - D) / H, e.samples]);
    expect(span(detectEpisodes(pair, { averaging: 'event' }))).toEqual([[B, B + 32, 24]]);
    expect(span(detectEpisodes(pair, { averaging: 'event', mergeGapHours: 6 }))).toEqual([
      [B, B + 12, 12],
      [B + 20, B + 32, 12],
    ]);
    // A 24-h window straddling two smaller bumps breaches the standard between them; the event is still the high
    // hours (two 6-h bumps at 90, 12 h apart: no single-bump window exceeds, the straddling ones do).
    const straddle = hourly((h) => ((h >= B && h < B + 6) || (h >= B + 18 && h < B + 24) ? 90 : undefined));
    expect(span(detectEpisodes(straddle, { averaging: 'event' }))).toEqual([[B, B + 24, 12]]);
    expect(span(detectEpisodes(straddle, { averaging: 'event', mergeGapHours: 6 }))).toEqual([
      [B, B + 6, 6],
      [B + 18, B + 24, 6],
    ]);
  });

  it('minimum duration drops a short exceedance (default 3 h)', () => {
    // With a 6-h window (hours i−2..i+3), 5 h at 48 over 10 give 10 + 38·5/6 = 41.7 > 37.5 only while all five are
    // inside (i = B+1, B+2; four give 35.3): a 2-h exceedance, below the 3-h default minimum. Kept with
    // minDurationHours 0: of the hours its windows cover (B−1..B+5), the five at 48 are above 37.5.
    const short = hourly((h) => (h >= B && h < B + 5 ? 48 : undefined));
    expect(detectEpisodes(short, { averaging: 'event', eventWindowHours: 6 }).episodes).toHaveLength(0);
    const kept = detectEpisodes(short, { averaging: 'event', eventWindowHours: 6, minDurationHours: 0 }).episodes;
    expect(kept.map((e) => [(e.start - D) / H, (e.end - D) / H, e.peakValue, e.samples])).toEqual([[B, B + 5, 48, 5]]);
    // At the end of the data the run is cut short, so its length says nothing: kept.
    const atEnd = { station: 's', time: short.time.slice(0, B + 5), value: short.value.slice(0, B + 5) };
    expect(detectEpisodes(atEnd, { averaging: 'event', eventWindowHours: 6 }).episodes).toHaveLength(1);
  });

  for (const label of ['end', 'start'] as const) {
    it(`reader's hour-${label} labels: the 100 µg/m³ local day is the event [D, D+24 h), peak at its first hour`, () => {
      const read = readStationSeriesCsv(hourlyCsv(label), { utcOffset: '+07:00', hourLabel: label });
      for (const input of [read, read.series]) {
        const r = detectEpisodes(input, { averaging: 'event' });
        // The centred mean exceeds for hours D−3h..D+25h; of the hours its windows cover, the day's 24 are high.
        expect(tuples(r)).toEqual([[D, D + DAY, D, 100, 100, 24]]);
        expect(tuples(detectEpisodes(input, { averaging: 'auto' }))).toEqual(tuples(r));
      }
    });
  }

  it('daily input: event and auto give runs of exceeding days with the peak day', () => {
    const csv = 'station_id,date,pm25_24h\n' + [20, 40, 55, 38, 30, 50, 10].map((v, i) => `35t,2026-01-0${i + 1},${v}`).join('\n') + '\n';
    const read = readStationSeriesCsv(csv);
    const d0 = D - DAY; // local midnight starting 2026-01-01
    for (const averaging of ['event', 'auto', 'daily'] as const) {
      const r = detectEpisodes(read, { averaging });
      expect(r.episodes.map((e) => [e.start, e.end, e.peakTime, e.peakValue, e.samples])).toEqual([
        [d0 + DAY, d0 + 4 * DAY, d0 + 2 * DAY, 55, 3],
        [d0 + 5 * DAY, d0 + 6 * DAY, d0 + 5 * DAY, 50, 1],
      ]);
    }
  });

  it('auto decides per station by its step', () => {
    const hourlyRows = hourly(bump(B));
    const days = [20, 80, 20].map((_, i) => D + i * DAY);
    const r = detectEpisodes(
      { station: [...hourlyRows.time.map(() => 'h'), 'd', 'd', 'd'], time: [...hourlyRows.time, ...days], value: [...hourlyRows.value, 20, 80, 20] },
      { averaging: 'auto' },
    );
    expect(r.episodes.map((e) => [e.station, (e.start - D) / H, (e.end - D) / H])).toEqual([
      ['d', 24, 48],
      ['h', B, B + 20],
    ]);
  });

  it('rejects a bad averaging or window', () => {
    const s = { station: 'a', time: [0], value: [1] };
    expect(() => detectEpisodes(s, { averaging: 'events' as 'event' })).toThrow(/'event' or 'auto'/);
    expect(() => detectEpisodes(s, { averaging: 'event', eventWindowHours: 0 })).toThrow(/options\.eventWindowHours/);
  });
});
