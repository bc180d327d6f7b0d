/**
 * Human-readable lines about an attribution run, shared by `hazetrace attribute` and `hazetrace demo`,
 * in English or Thai (`--lang`), times in local time (`--utc-offset`, default +07:00). Codes (categories,
 * countries) are written as words; machine outputs (--json, CSV, GeoJSON) keep codes and UTC.
 */
import { poolCrossBorder, poolShares, type SeriesAttribution } from '../attribution/index.js';
import { humanLabel, localClock, type ReportLang } from '../report/index.js';
import { describeRejected, type InputNote } from './inputs.js';

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

/** Language and clock of the summary lines. */
export interface TextOptions {
  lang?: ReportLang;
  utcOffset?: string;
}

const WORDS = {
  en: {
    peak: 'peak',
    unit: 'µg/m³',
    byCategory: 'by source type',
    byRegion: 'by country    ',
    notAttributed: (status: string, reason: string) => `(${status}: ${reason})`,
    pooled: 'all attributed episodes (peak-weighted)',
    byCountry: 'by country',
    topDistricts: 'highest-risk districts',
    districtChance: (expected: string, cells: number, pct: string, level: string) => `~${expected} of ${cells} cells may burn next season, ${pct} % each, ${level}`,
    demoHead: (a: string, b: string, dir: string) => `hazetrace demo: northern Thailand, local days ${a}..${b} (embedded sample, ${dir})`,
    demoCounts: (cells: number, res: number, eps: number, risk: number, rres: number) => `${cells} hotspot-density cells (H3 res ${res}); ${eps} episode(s); ${risk} risk cells (res ${rres})`,
    wrote: (n: number, dir: string, report: string) => `wrote ${n} files to ${dir}; open ${report}`,
    took: (s: string) => `took ${s} s`,
    local: (off: string) => `times are local (UTC${off})`,
  },
  th: {
    peak: 'สูงสุด',
    unit: 'มคก./ลบ.ม.',
    byCategory: 'ตามประเภทแหล่ง',
    byRegion: 'ตามประเทศ     ',
    notAttributed: (status: string, reason: string) => `(${status}: ${reason})`,
    pooled: 'ทุกช่วงที่ระบุแหล่งได้ (ถ่วงด้วยค่าสูงสุด)',
    byCountry: 'ตามประเทศ',
    topDistricts: 'อำเภอเสี่ยงสูงสุด',
    districtChance: (expected: string, cells: number, pct: string, level: string) => `คาดว่าเผา ~${expected} จาก ${cells} ช่องในฤดูหน้า ช่องละ ${pct} % ระดับ${level}`,
    demoHead: (a: string, b: string, dir: string) => `hazetrace demo: ภาคเหนือของไทย วันที่ (เวลาท้องถิ่น) ${a}..${b} (ข้อมูลตัวอย่างในแพ็กเกจ ${dir})`,
    demoCounts: (cells: number, res: number, eps: number, risk: number, rres: number) => `ช่องความหนาแน่นจุดความร้อน ${cells} ช่อง (H3 ระดับ ${res}); ช่วงฝุ่น ${eps} ช่วง; ช่องความเสี่ยง ${risk} ช่อง (ระดับ ${rres})`,
    wrote: (n: number, dir: string, report: string) => `เขียน ${n} ไฟล์ไว้ที่ ${dir}; เปิด ${report}`,
    took: (s: string) => `ใช้เวลา ${s} วินาที`,
    local: (off: string) => `เวลาเป็นเวลาท้องถิ่น (UTC${off})`,
  },
};

/** The summary words of a language (CLI only). */
export function cliWords(lang: ReportLang = 'en'): (typeof WORDS)['en'] {
  return WORDS[lang] ?? WORDS.en;
}

/** One line per episode for people: station, local window, peak, top source types and countries, or why it is not attributed. */
export function episodeLines(r: SeriesAttribution, options: TextOptions = {}): string[] {
  const lang = options.lang ?? 'en';
  const w = cliWords(lang);
  const clock = localClock(options.utcOffset ?? '+07:00', lang);
  return r.episodes.map((e) => {
    const ep = e.episode;
    const head = `${ep.station}  ${clock.dayHour(ep.start)} .. ${clock.dayHour(ep.end)}  ${w.peak} ${ep.peakValue.toFixed(1)} ${w.unit}`;
    if (e.status !== 'attributed') return `${head}  ${w.notAttributed(humanLabel('status', e.status, lang), e.reason ?? '')}`;
    const top = (rec: Record<string, { share: number; low: number; high: number }>, kind: 'category' | 'country'): string =>
      Object.entries(rec)
        .sort((a, b) => b[1].share - a[1].share)
        .slice(0, 3)
        .map(([k, b]) => `${humanLabel(kind, k, lang)} ${pct(b.share)} [${pct(b.low)}–${pct(b.high)}]`)
        .join(', ');
    return `${head}\n    ${w.byCategory}: ${top(e.sharesByCategory, 'category')}\n    ${w.byRegion}: ${top(e.sharesByRegion, 'country')}`;
  });
}

/** The human summary of a run: inputs, calibration, episodes, pooled shares, grouped warnings. */
export function summaryLines(r: SeriesAttribution, notes: InputNote[], windNote: string, episodeLimit = Infinity, options: TextOptions = {}): string[] {
  const lang = options.lang ?? 'en';
  const attributed = r.episodes.filter((e) => e.status === 'attributed').length;
  const c = r.calibration;
  const scales = Object.entries(c.scales)
    .map(([k, v]) => `${k} ${Number(v.toPrecision(3))}`)
    .join(', ');
  const calib =
    c.mode === 'calibrated'
      ? `calibrated on ${c.rows} observations (R² ${c.r2?.toFixed(2)}, background ${c.background?.toFixed(1)} µg/m³): ${scales}`
      : c.mode === 'given'
        ? `scales given: ${scales}`
        : `default scales (${c.fallback ?? 'not calibrated'})${scales ? `: ${scales}` : ''}`;
  const clock = localClock(options.utcOffset ?? r.settings.utcOffset ?? '+07:00', lang);
  const lines = [
    `${r.episodes.length} episode(s) at ${new Set(r.episodes.map((e) => e.episode.station)).size} station(s): ${attributed} attributed, ${r.episodes.length - attributed} not; ${r.inputs.sources} source rows; ${cliWords(lang).local(clock.offsetLabel)}`,
    `wind: ${windNote}; ensemble: ${r.settings.ensemble} (${r.settings.ensembleReason})`,
    `hotspot file covers ${r.inputs.hotspotDays}`,
    `category scales: ${calib}`,
    ...(r.inputs.missing.length ? [`not given: ${r.inputs.missing.join(', ')}`] : []),
    ...notes.map((n) => '  input ' + describeRejected(n)),
    '',
    ...episodeLines(r, { lang, utcOffset: options.utcOffset ?? r.settings.utcOffset ?? '+07:00' }).slice(0, episodeLimit),
  ];
  if (r.episodes.length > episodeLimit) lines.push(`  … ${r.episodes.length - episodeLimit} more episode(s) (see --out or --json)`);
  const cat = poolShares(r, 'category');
  if (cat.length) lines.push('', `${cliWords(lang).pooled}: ${cat.map((s) => `${humanLabel('category', s.key, lang)} ${pct(s.share)}`).join(', ')}`);
  const cb = poolCrossBorder(r);
  if (Number.isFinite(cb)) lines.push(`cross-border share (outside ${r.settings.domestic}): ${pct(cb)}`);
  if (r.warnings.length) lines.push('', 'warnings:', ...r.warnings.map((g) => `  ${g.count}× ${g.kind}: ${g.first}`));
  return lines;
}
