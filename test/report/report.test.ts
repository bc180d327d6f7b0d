/**
 * The report library without a browser: words and clocks (i18n), trajectory mean/spread, and what the
 * renderer puts in the file (offline, language, local time, CPF minimum hours, rings, escaping).
 * The browser behaviour (zoom, hover, episode, slider) is in test/e2e/report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { HazetraceError, type TrajectorySet } from '../../src/core/index.js';
import { exampleReportModel, formatNumber, formatPercent, humanLabel, localClock, renderReport, reportTrajectories, reportWords, CPF_MIN_HOURS, type ReportModel } from '../../src/report/index.js';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof HazetraceError ? e.code : `not a HazetraceError: ${String(e)}`;
  }
  return 'no error';
};

describe('i18n', () => {
  it('writes UTC instants as local days and hours, Thai in the Buddhist era', () => {
    const t = Date.UTC(2025, 3, 23, 17, 0); // 24 Apr 2025 00:00 at +07:00
    expect(localClock('+07:00', 'en').dayHour(t)).toBe('24 Apr 00:00');
    expect(localClock('+07:00', 'en').day(t)).toBe('24 Apr 2025');
    expect(localClock('Z', 'en').dayHour(t)).toBe('23 Apr 17:00');
    expect(localClock('+07:00', 'th').full(t)).toBe('24 เม.ย. 2568 00:00 น.');
    expect(localClock(-90, 'en').offsetLabel).toBe('-01:30');
    expect(localClock('+07:00', 'en').days(Date.UTC(2025, 3, 22, 17), Date.UTC(2025, 3, 24, 17))).toBe('23–24 Apr');
    expect(localClock('+07:00', 'en').days(Date.UTC(2025, 3, 29, 17), Date.UTC(2025, 4, 1, 17))).toBe('30 Apr – 1 May');
  });

  it('gives human labels for codes in both languages and falls back to spaced codes', () => {
    expect(humanLabel('category', 'fire_other', 'en')).toBe('other fires');
    expect(humanLabel('category', 'fire_other', 'th')).toBe('ไฟอื่น ๆ');
    expect(humanLabel('country', 'MMR', 'en')).toBe('Myanmar');
    expect(humanLabel('level', 'very high', 'th')).toBe('สูงมาก');
    expect(humanLabel('factor', 'some_new_factor', 'en')).toBe('some new factor');
    // Every category/factor/level in English has a Thai word.
    const en = reportWords('en');
    const th = reportWords('th');
    for (const k of Object.keys(en.categories)) expect(th.categories[k], k).toMatch(/[\u0E00-\u0E7F]/);
    for (const k of Object.keys(en.factors)) expect(th.factors[k], k).toMatch(/[\u0E00-\u0E7F]/);
    for (const k of Object.keys(en.levels)) expect(th.levels[k], k).toMatch(/[\u0E00-\u0E7F]/);
  });

  it('rejects an unknown language or offset with E_ARG', () => {
    expect(code(() => reportWords('fr'))).toBe('E_ARG');
    expect(code(() => localClock('7h', 'en'))).toBe('E_ARG');
    expect(code(() => renderReport(exampleReportModel(), { lang: 'de' as never }))).toBe('E_ARG');
    expect(code(() => renderReport({ ...exampleReportModel(), bbox: [100, 18, 98, 20] }))).toBe('E_ARG');
    expect(code(() => renderReport(exampleReportModel(), { cpfMinHours: 0 }))).toBe('E_ARG');
  });

  it('formats numbers and percentages', () => {
    expect(formatNumber(1234567.891, 1)).toBe('1,234,567.9');
    expect(formatNumber(-1234)).toBe('-1,234');
    expect(formatNumber(NaN)).toBe('–');
    expect(formatPercent(0.0532)).toBe('5.3 %');
    expect(formatPercent(0.5)).toBe('50 %');
  });
});

describe('reportTrajectories', () => {
  // Two members, three hourly points each, 0.02° of latitude apart: mean halfway, spread 0.01° ≈ 1.112 km.
  const T = Date.UTC(2025, 3, 24, 5);
  const set: TrajectorySet = {
    length: 2,
    offsets: Uint32Array.from([0, 3, 6]),
    lng: Float64Array.from([99, 98.9, 98.8, 99, 98.9, 98.8]),
    lat: Float64Array.from([18, 18.1, 18.2, 18.02, 18.12, 18.22]),
    time: Float64Array.from([T, T - 3.6e6, T - 7.2e6, T, T - 3.6e6, T - 7.2e6]),
    ageHours: Float64Array.from([0, 1, 2, 0, 1, 2]),
    receptor: ['s1', 's1'],
    member: Int32Array.from([0, 1]),
    startTime: Float64Array.from([T, T]),
    stopReason: ['completed', 'completed'],
  };
  it('gives the mean path and the RMS distance of the members from it', () => {
    const [t, more] = reportTrajectories(set, { stepHours: 1 });
    expect(more).toBeUndefined();
    expect(t?.start).toBe(T);
    expect(t?.mean.map((p) => p[1])).toEqual([18.01, 18.11, 18.21]);
    const km = (0.01 * Math.PI * 6371.0088) / 180;
    for (const s of t?.spreadKm ?? []) expect(s).toBeCloseTo(km, 1);
    expect(t?.members).toBeUndefined();
  });
  it('thins to stepHours (first and last point kept) and embeds members only near the given time', () => {
    const [t] = reportTrajectories(set, { stepHours: 2, membersAround: T + 3.6e6, membersWithinHours: 2 });
    expect(t?.mean.map((p) => p[2])).toEqual([T, T - 7.2e6]);
    expect(t?.members?.length).toBe(2);
    const [far] = reportTrajectories(set, { membersAround: T + 10 * 3.6e6, membersWithinHours: 2 });
    expect(far?.members).toBeUndefined();
    expect(code(() => reportTrajectories(set, { stepHours: 0 }))).toBe('E_ARG');
  });
});

describe('renderReport', () => {
  it('prints a build time only when the model has one: an undated model renders to the same bytes every time', () => {
    const undated = { ...exampleReportModel(), generatedAt: null };
    const a = renderReport(undated, { lang: 'en' });
    expect(renderReport(undated, { lang: 'en' })).toBe(a);
    expect(a).toContain('<footer>Made by hazetrace. One offline file');
    const dated = renderReport({ ...undated, generatedAt: Date.UTC(2025, 3, 23, 17) }, { lang: 'en', utcOffset: '+07:00' });
    expect(dated).toMatch(/<footer>Made by hazetrace on [^<]*2025[^<]*\(UTC\+07:00\)/);
  });

  it('is one offline file: no external URL, script, stylesheet or font', () => {
    const html = renderReport(exampleReportModel());
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg');
    expect(urls).toEqual([]);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|@font-face|<img/);
  });

  it('speaks the chosen language and writes local time', () => {
    const en = renderReport(exampleReportModel(), { lang: 'en', utcOffset: '+07:00' });
    const th = renderReport(exampleReportModel(), { lang: 'th', utcOffset: '+07:00' });
    expect(en).toContain('<html lang="en">');
    expect(th).toContain('<html lang="th">');
    expect(th).toContain('ไฟอื่น ๆ');
    expect(th).toContain('เมือง'); // the Thai town name of the model
    expect(th).toContain('สถานีตัวอย่าง'); // the Thai station name
    // Episode start 23 Apr 17:00 UTC (example) is 24 Apr 00:00 local; at UTC it stays the 23rd.
    expect(en).toContain('23 Apr 00:00'); // start = peak − 1 day
    expect(renderReport(exampleReportModel(), { utcOffset: 'Z' })).toContain('22 Apr 17:00');
    expect(en).not.toMatch(/\d{2}:\d{2}Z/);
  });

  it('draws CPF bins only with enough hours, and inside the outer ring', () => {
    const m: ReportModel = {
      ...exampleReportModel(),
      cpf: {
        station: 's1',
        period: { en: 'test', th: 'ทดสอบ' },
        threshold: 50,
        minHours: CPF_MIN_HOURS,
        bins: [
          { dirFrom: 0, dirTo: 30, speedFrom: 0, speedTo: 2, p: 1, n: 2 }, // too few hours
          { dirFrom: 30, dirTo: 60, speedFrom: 2, speedTo: 4, p: 0.4, n: 12 },
          { dirFrom: 60, dirTo: 90, speedFrom: 8, speedTo: 10, p: 0.9, n: 40 }, // the outermost bin
        ],
      },
    };
    const html = renderReport(m);
    expect(html).toMatch(/<svg id="cpf"[^>]*data-drawn="2" data-skipped="1"/);
    const svg = html.slice(html.indexOf('<svg id="cpf"'), html.indexOf('</svg>', html.indexOf('<svg id="cpf"')));
    const outer = /class="cpf-ring outer" cx="(\d+)" cy="(\d+)" r="([\d.]+)"/.exec(svg);
    expect(outer).not.toBeNull();
    const [cx, cy, r] = (outer as RegExpExecArray).slice(1).map(Number) as [number, number, number];
    for (const d of [...svg.matchAll(/class="cpf-cell"[^>]* d="([^"]+)"/g)].map((x) => x[1] as string)) {
      // End points only: drop each arc's radii and flags ("A rx,ry rot large sweep").
      const pts = d.replace(/A[\d.]+,[\d.]+ \d \d \d /g, 'L');
      const nums = [...pts.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((x) => [Number(x[1]), Number(x[2])] as const);
      expect(nums.length).toBeGreaterThanOrEqual(4);
      for (const [x, y] of nums) expect(Math.hypot(x - cx, y - cy)).toBeLessThanOrEqual(r + 0.11);
    }
    // With a lower documented minimum the thin bin is drawn.
    expect(renderReport(m, { cpfMinHours: 1 })).toMatch(/data-drawn="3" data-skipped="0"/);
  });

  it('explains the risk table in words with values, and escapes what it prints', () => {
    const m: ReportModel = {
      ...exampleReportModel(),
      districts: [
        { rank: 1, id: 'd1', name: 'A <b>', province: 'P', score: 80, level: 'very high', factors: [{ factor: 'hotspot_detections', points: 38 }, { factor: 'repeat_burn', points: 12 }] },
        { rank: 2, id: 'd2', name: 'B', province: 'P', score: 60, level: 'high', factors: [{ factor: 'repeat_burn', points: 30 }], explanation: 'burnt in 5 of 6 seasons; 38 detections within 5 km' },
      ],
    };
    const html = renderReport(m);
    expect(html).toContain('fires seen in past seasons (38 points); then burnt again and again (12 points)');
    expect(html).toContain('burnt in 5 of 6 seasons; 38 detections within 5 km');
    expect(html).toContain('A &lt;b&gt;');
    expect(html).not.toContain('A <b>');
  });
});
