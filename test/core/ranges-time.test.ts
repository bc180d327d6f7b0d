/**
 * Strict dates (src/core/time.ts) and plausible ranges / missing codes / rejection summaries
 * (src/core/ranges.ts): the one rule per kind of value that every reader uses.
 */
import { describe, expect, it } from 'vitest';
import {
  MISSING_CODES, MissingCodeSet, PLAUSIBLE, countRejections, implausibleReason, isMissingCode, numberProblem, parseDecimal,
  quantityOfColumn, readCounts, summarizeRejections,
} from '../../src/core/ranges.js';
import { checkDateOrder, parseDateParts, parseDateStrict, parseIsoUtc, parseLocalTime } from '../../src/core/time.js';
import { HazetraceError } from '../../src/core/errors.js';

describe('parseDateStrict', () => {
  it('accepts every real day of 2024 (leap) and rejects the day after each month end', () => {
    const dim = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= dim[m - 1]!; d++) {
        const s = `2024-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const r = parseDateStrict(s);
        expect(r.ok && r.utcMidnight === Date.UTC(2024, m - 1, d), s).toBe(true);
      }
      expect(parseDateStrict(`2024-${String(m).padStart(2, '0')}-${dim[m - 1]! + 1}`).ok).toBe(false);
    }
  });
  it('century rule: 1900-02-29 rejected, 2000-02-29 accepted', () => {
    expect(parseDateStrict('1900-02-29').ok).toBe(false);
    expect(parseDateStrict('2000-02-29').ok).toBe(true);
  });
  it('year-last dates need a dateOrder; with one they are read in it', () => {
    expect(parseDateStrict('13/04/2025').ok).toBe(false); // even unambiguous-looking ones: the file's order is unknown
    expect(parseDateStrict('13/04/2025', 'DMY')).toMatchObject({ ok: true, month: 4, day: 13 });
    expect(parseDateStrict('13/04/2025', 'MDY')).toMatchObject({ ok: false });
    expect(parseDateStrict('04.13.2025', 'MDY')).toMatchObject({ ok: true, month: 4, day: 13 });
  });
  it('two-digit years and words are rejected with reasons', () => {
    expect(parseDateStrict('04/05/25')).toEqual({ ok: false, reason: expect.stringMatching(/two-digit year/) as unknown as string });
    expect(parseDateStrict('22 April 2025').ok).toBe(false);
  });
  it('checkDateOrder throws E_ARG on anything else', () => {
    expect(() => checkDateOrder('DDMM')).toThrow(HazetraceError);
    expect(checkDateOrder('mdy')).toBe('MDY');
  });
  it('parseDateParts keeps unambiguous day-first dates and refuses ambiguous ones', () => {
    expect(parseDateParts('22/04/2025')).toEqual([2025, 4, 22]);
    expect(parseDateParts('04/05/2025')).toBeNull();
    expect(parseDateParts('05/05/2025')).toEqual([2025, 5, 5]);
  });
});

describe('parseIsoUtc and parseLocalTime are strict', () => {
  it('impossible dates and times are NaN, not rolled over', () => {
    for (const s of ['2025-02-30T00:00Z', '2025-02-29', '2025-04-31T12:00', '2025-04-22T25:00Z', '2025-04-22T12:60', '2025-04-22T24:01']) expect(parseIsoUtc(s), s).toBeNaN();
    expect(parseLocalTime('2025-02-30 12:00', '+07:00')).toBeNaN();
  });
  it('zones, fractions and 24:00 are read exactly', () => {
    expect(parseIsoUtc('2025-04-22T13:00:00.250+07:00')).toBe(Date.UTC(2025, 3, 22, 6, 0, 0, 250));
    expect(parseIsoUtc('2025-04-22T13:00-0500')).toBe(Date.UTC(2025, 3, 22, 18));
    expect(parseIsoUtc('2025-04-22 06:00')).toBe(Date.UTC(2025, 3, 22, 6));
    expect(parseIsoUtc('2025-04-22T24:00:00Z')).toBe(Date.UTC(2025, 3, 23));
    expect(parseIsoUtc('2025-04-22')).toBe(Date.UTC(2025, 3, 22));
  });
});

describe('ranges, missing codes, numbers', () => {
  it('every range is ordered and has a unit and a reason', () => {
    for (const [q, r] of Object.entries(PLAUSIBLE)) {
      expect(r.min < r.max, q).toBe(true);
      expect(r.unit.length > 0 && r.why.length > 0, q).toBe(true);
    }
  });
  it('implausibleReason: bounds are inclusive; NaN/Infinity never plausible; unknown quantity E_ARG', () => {
    expect(implausibleReason('pm25', 0)).toBeNull();
    expect(implausibleReason('pm25', 2000)).toBeNull();
    expect(implausibleReason('pm25', 2000.1)).toMatch(/outside/);
    expect(implausibleReason('windSpeed', Infinity)).toMatch(/not a finite/);
    expect(() => implausibleReason('toString' as never, 1)).toThrow(HazetraceError);
  });
  it('missing codes match by text (case-insensitive) and by value', () => {
    for (const c of MISSING_CODES) expect(isMissingCode(c), c).toBe(true);
    expect(isMissingCode('na')).toBe(true);
    expect(isMissingCode('9999.00')).toBe(true);
    expect(isMissingCode('999')).toBe(false);
    expect(new MissingCodeSet(['-1']).has('-1.0')).toBe(true);
    expect(new MissingCodeSet(['-1']).has('9999')).toBe(false);
  });
  it('numbers: parseDecimal refuses what Number() accepts', () => {
    for (const s of ['0x10', '0b1', '0o7', 'Infinity', '1e400', '', ' ', '1,5', '1_000']) expect(parseDecimal(s), s).toBeNaN();
    expect(Number('0x10')).toBe(16); // why the rule exists
    expect(parseDecimal(' -1.5e2 ')).toBe(-150);
  });
  it('numberProblem names the class of bad numeral', () => {
    expect(numberProblem('1 000')).toMatch(/thousands/);
    expect(numberProblem('-inf')).toMatch(/infinite/);
    expect(numberProblem('12.5')).toBeNull();
  });
  it('quantityOfColumn recognises the usual spellings only', () => {
    expect(['pm25', 'PM2.5', 'pm2_5_ugm3', 'pm25_24h_ugm3'].map(quantityOfColumn)).toEqual(['pm25', 'pm25', 'pm25', 'pm25']);
    expect(['pm10', 'wind_speed_ms', 'frp', 'pm1', 'o3'].map(quantityOfColumn)).toEqual(['pm10', 'windSpeed', 'frp', null, null]);
  });
  it('summaries: empty → "", exactly max → no "and K more", max+1 → "and 1 more"', () => {
    const r = (n: number) => Array.from({ length: n }, (_, i) => ({ row: i + 1, code: 'E_X', message: `row ${i + 1}: bad` }));
    expect(summarizeRejections([])).toBe('');
    expect(summarizeRejections(r(5))).toBe('5 rejected: row 1: bad; row 2: bad; row 3: bad; row 4: bad; row 5: bad');
    expect(summarizeRejections(r(6))).toMatch(/row 5: bad; and 1 more$/);
    expect(countRejections(r(3))).toEqual({ E_X: 3 });
    expect(readCounts(2, r(3), 1)).toEqual({ rows: 6, accepted: 2, rejected: 3, duplicates: 1, byCode: { E_X: 3 } });
  });
});
