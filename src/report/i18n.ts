/**
 * One table of words per language for the report and the CLI summary: headings, sentences, human
 * labels for source categories, risk factors, risk levels, episode statuses and countries, and the date
 * and number formats. Browser-safe (no Node builtins); formatting is done here, not by `Intl`, so the
 * output is the same on every machine.
 */
import { HazetraceError, parseUtcOffset } from '../core/index.js';
import { checkString } from '../core/check.js';
import { checkInt } from '../core/errors.js';

/** Languages the report and the CLI summary speak. */
export type ReportLang = 'en' | 'th';

/**
 * The languages accepted by `--lang` and `renderReport`.
 *
 * @example
 * ```ts
 * import { REPORT_LANGS } from 'hazetrace/report';
 * REPORT_LANGS.includes('th'); // true
 * ```
 */
export const REPORT_LANGS: readonly ReportLang[] = ['en', 'th'];

const EN = {
  htmlLang: 'en',
  title: (place: string, days: string) => `Where did the smoke come from? ${place}, ${days}`,
  subtitle: (stations: number, fires: string, plants: number) =>
    `PM2.5 episodes at ${stations} monitors traced back through ${fires} satellite fire detections and ${plants} power plants. All times are local (UTC${'{off}'}).`,
  factEpisodes: 'PM2.5 episodes',
  factEpisodesNote: (t: string) => `24-h mean above ${t}`,
  factFires: 'fire detections used',
  factFiresNote: (n: number, res: number) => `${n} map cells (H3 level ${res})`,
  factFireShare: 'from fires',
  factFireShareNote: 'peak-weighted over episodes',
  factCross: 'from across the border',
  factCrossNote: 'share from outside Thailand',
  factTopDistrict: 'highest-risk district',
  factTopDistrictNote: (s: string) => `score ${s} of 100`,
  factTopDistrictChance: (s: string) => `${s} of its land expected to burn next season`,
  mapHeading: 'Map: where the air came from and the fires under it',
  mapHelp: 'Drag to move, wheel or pinch to zoom, or use + and −. Pick an episode or click a station to see only its trajectories and sources.',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  zoomReset: 'Reset view',
  episodePick: 'Episode',
  allEpisodes: 'All episodes (pooled)',
  hour: 'Hour',
  hourAll: 'whole episode',
  playHint: 'Move the slider to step through the episode hour by hour: the dots show where the air arriving at that hour was, the red points the fires seen within ±12 h.',
  showMembers: 'Show ensemble members',
  layers: 'Layers',
  layerDensity: 'Fire detections per cell',
  layerRisk: 'Burning risk score',
  layerTrajectories: 'Back-trajectories (mean ± spread)',
  layerSources: 'Sources (size = share)',
  layerStations: 'PM2.5 monitors',
  layerDistricts: 'District borders (when zoomed in)',
  layerTowns: 'Towns',
  legendDensity: 'Fire detections per cell',
  legendRisk: 'Risk score (0–100)',
  legendSpread: 'spread of the ensemble (1 σ)',
  legendMean: 'mean back-trajectory',
  legendStation: 'PM2.5 monitor (selected: filled)',
  legendTown: 'town (province seat)',
  north: 'N',
  detections: (n: number) => `${n} fire detection${n === 1 ? '' : 's'}`,
  frp: (v: string) => `fire power ${v} MW`,
  risk: (s: string, level: string) => `risk ${s} of 100 (${level})`,
  mainFactor: 'main factor',
  sourceShare: (p: string, ep: string) => `${p} of the PM2.5 attributed in ${ep}`,
  stationPeak: (v: string, when: string) => `peak ${v} on ${when}`,
  stationNoEpisode: 'no episode in this window',
  trajTip: (station: string, when: string, km: string) => `air arriving at ${station} on ${when}; members spread ±${km} km at the far end`,
  seriesHeading: 'PM2.5 at the monitors, episodes shaded',
  standard: (t: string) => `Thai standard ${t}`,
  seriesAxis: 'PM2.5 µg/m³',
  episodesTable: 'Episodes',
  colStation: 'Monitor',
  colDays: 'Local days',
  colStart: 'Start',
  colEnd: 'End',
  colPeakAt: 'Peak at',
  colPeak: 'Peak µg/m³',
  colTopCategory: 'Main source type',
  colTopRegion: 'Main country',
  colStatus: 'Status',
  sharesHeading: 'Where the episode PM2.5 came from',
  sharesHelp: 'Share of the attributed PM2.5 for the selected episode (all attributed episodes pooled, peak-weighted, when none is picked). Whiskers: the 80 % uncertainty band.',
  byCategory: 'By source type',
  byCountry: 'By country',
  nothingAttributed: 'Nothing attributed.',
  districtsHeading: 'Districts ranked by burning risk',
  colRank: '#',
  colDistrict: 'District',
  colProvince: 'Province',
  colScore: 'Risk score',
  colChance: 'Chance of burning next season',
  colLevel: 'Level',
  colWhy: 'Why (main factor)',
  cpfHeading: (s: string) => `Local sources near ${s}: conditional probability function`,
  cpfText: (t: string, min: number) =>
    `Probability that hourly PM2.5 is above its 75th percentile (${t}) when the wind blows from a direction (angle) at a speed (distance from the centre). High values point to nearby sources in that direction. Only bins with at least ${min} hours are drawn; white = too few hours.`,
  cpfP: 'probability',
  cpfBin: (d0: number, d1: number, s0: string, s1: string, p: string, n: number) => `wind from ${d0}–${d1}°, ${s0}–${s1} m/s: P = ${p} (${n} hours)`,
  methodsHeading: 'Methods and caveats',
  methods: 'Methods',
  caveats: 'What these results can and cannot say',
  methodsOnlyEn: '',
  downloads: 'Download the data behind this page',
  downloadNote: 'Files written by hazetrace next to this report (same folder).',
  footer: (when: string) => `Made by hazetrace on ${when}. One offline file: no internet needed.`,
  footerUndated: 'Made by hazetrace. One offline file: no internet needed.',
  none: 'none',
  na: 'n/a',
  unknownRegion: 'unknown area',
  km: 'km',
  noEpisodes: 'No episode above the threshold in this window.',
  statuses: {
    attributed: 'attributed',
    'insufficient-data': 'not attributed: not enough data',
    'no-source-reached': 'not attributed: no source within reach',
  } as Record<string, string>,
  categories: {
    fire_repeat_burn: 'fires on land that burns most years',
    fire_other: 'other fires',
    facility: 'power plants',
    report: 'reported burning',
    area: 'burning no satellite saw',
  } as Record<string, string>,
  factors: {
    hotspot_detections: 'fires seen in past seasons',
    hotspot_frp: 'fire power in past seasons',
    repeat_burn: 'burnt again and again',
    hotspot_nearby: 'fires nearby',
    facility_proximity: 'close to a power plant',
  } as Record<string, string>,
  levels: { low: 'low', moderate: 'moderate', high: 'high', 'very high': 'very high' } as Record<string, string>,
  countries: {} as Record<string, string>,
  months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  yearOffset: 0,
  hourSuffix: '',
  factorWords: (f: string, pts: string) => `${f} (${pts} points)`,
  factorThen: 'then',
};

export type ReportWords = typeof EN;

const TH: ReportWords = {
  htmlLang: 'th',
  title: (place, days) => `ควันมาจากไหน? ${place} ${days}`,
  subtitle: (stations, fires, plants) =>
    `ย้อนรอยฝุ่น PM2.5 ที่สถานีตรวจวัด ${stations} แห่ง ผ่านจุดความร้อนจากดาวเทียม ${fires} จุด และโรงไฟฟ้า ${plants} แห่ง เวลาทั้งหมดเป็นเวลาท้องถิ่น (UTC{off})`,
  factEpisodes: 'ช่วงฝุ่นเกินมาตรฐาน',
  factEpisodesNote: (t) => `ค่าเฉลี่ย 24 ชม. เกิน ${t}`,
  factFires: 'จุดความร้อนที่ใช้',
  factFiresNote: (n, res) => `${n} ช่องบนแผนที่ (H3 ระดับ ${res})`,
  factFireShare: 'มาจากการเผา',
  factFireShareNote: 'ถ่วงน้ำหนักด้วยค่าสูงสุดของแต่ละช่วง',
  factCross: 'มาจากนอกประเทศ',
  factCrossNote: 'สัดส่วนจากนอกประเทศไทย',
  factTopDistrict: 'อำเภอเสี่ยงสูงสุด',
  factTopDistrictNote: (s) => `คะแนน ${s} จาก 100`,
  factTopDistrictChance: (s) => `คาดว่าพื้นที่ ${s} จะเกิดการเผาในฤดูหน้า`,
  mapHeading: 'แผนที่: อากาศมาจากไหน และไฟที่อยู่ใต้เส้นทางนั้น',
  mapHelp: 'ลากเพื่อเลื่อน ใช้ล้อเมาส์หรือสองนิ้วเพื่อซูม หรือกด + และ − เลือกช่วงฝุ่นหรือคลิกสถานีเพื่อดูเฉพาะเส้นทางลมและแหล่งกำเนิดของช่วงนั้น',
  zoomIn: 'ซูมเข้า',
  zoomOut: 'ซูมออก',
  zoomReset: 'กลับมุมมองเดิม',
  episodePick: 'ช่วงฝุ่น',
  allEpisodes: 'ทุกช่วง (รวม)',
  hour: 'ชั่วโมง',
  hourAll: 'ทั้งช่วง',
  playHint: 'เลื่อนแถบเพื่อดูทีละชั่วโมง: จุดสีน้ำเงินคือตำแหน่งของอากาศที่มาถึงสถานีในชั่วโมงนั้น จุดแดงคือไฟที่ตรวจพบภายใน ±12 ชม.',
  showMembers: 'แสดงเส้นทางย่อยทุกเส้น',
  layers: 'ชั้นข้อมูล',
  layerDensity: 'จำนวนจุดความร้อนต่อช่อง',
  layerRisk: 'คะแนนความเสี่ยงการเผา',
  layerTrajectories: 'เส้นทางลมย้อนกลับ (ค่าเฉลี่ย ± การกระจาย)',
  layerSources: 'แหล่งกำเนิด (ขนาด = สัดส่วน)',
  layerStations: 'สถานีตรวจวัด PM2.5',
  layerDistricts: 'เขตอำเภอ (เมื่อซูมเข้า)',
  layerTowns: 'ตัวเมือง',
  legendDensity: 'จำนวนจุดความร้อนต่อช่อง',
  legendRisk: 'คะแนนความเสี่ยง (0–100)',
  legendSpread: 'การกระจายของชุดเส้นทาง (1 σ)',
  legendMean: 'เส้นทางลมย้อนกลับเฉลี่ย',
  legendStation: 'สถานีตรวจวัด PM2.5 (ที่เลือก: ทึบ)',
  legendTown: 'ตัวเมือง (ที่ตั้งจังหวัด)',
  north: 'เหนือ',
  detections: (n) => `จุดความร้อน ${n} จุด`,
  frp: (v) => `กำลังไฟ ${v} MW`,
  risk: (s, level) => `ความเสี่ยง ${s} จาก 100 (${level})`,
  mainFactor: 'ปัจจัยหลัก',
  sourceShare: (p, ep) => `${p} ของ PM2.5 ที่ระบุแหล่งได้ใน ${ep}`,
  stationPeak: (v, when) => `สูงสุด ${v} เมื่อ ${when}`,
  stationNoEpisode: 'ไม่มีช่วงฝุ่นเกินในช่วงนี้',
  trajTip: (station, when, km) => `อากาศที่มาถึง ${station} เมื่อ ${when} เส้นทางย่อยกระจาย ±${km} กม. ที่ปลายทาง`,
  seriesHeading: 'PM2.5 ที่สถานีตรวจวัด (แถบสี = ช่วงฝุ่นเกินมาตรฐาน)',
  standard: (t) => `มาตรฐานไทย ${t}`,
  seriesAxis: 'PM2.5 มคก./ลบ.ม.',
  episodesTable: 'ช่วงฝุ่นเกินมาตรฐาน',
  colStation: 'สถานี',
  colDays: 'วันที่ (เวลาท้องถิ่น)',
  colStart: 'เริ่ม',
  colEnd: 'สิ้นสุด',
  colPeakAt: 'ค่าสูงสุดเมื่อ',
  colPeak: 'สูงสุด มคก./ลบ.ม.',
  colTopCategory: 'แหล่งหลัก',
  colTopRegion: 'ประเทศหลัก',
  colStatus: 'สถานะ',
  sharesHeading: 'PM2.5 ของช่วงฝุ่นมาจากไหน',
  sharesHelp: 'สัดส่วนของ PM2.5 ที่ระบุแหล่งได้ ของช่วงที่เลือก (ถ้าไม่ได้เลือก: ทุกช่วงรวมกัน ถ่วงด้วยค่าสูงสุด) เส้นขีด: ช่วงความไม่แน่นอน 80 %',
  byCategory: 'ตามประเภทแหล่ง',
  byCountry: 'ตามประเทศ',
  nothingAttributed: 'ไม่มีส่วนที่ระบุแหล่งได้',
  districtsHeading: 'อำเภอเรียงตามความเสี่ยงการเผา',
  colRank: 'ลำดับ',
  colDistrict: 'อำเภอ',
  colProvince: 'จังหวัด',
  colScore: 'คะแนนความเสี่ยง',
  colChance: 'โอกาสเกิดการเผาในฤดูหน้า',
  colLevel: 'ระดับ',
  colWhy: 'เหตุผล (ปัจจัยหลัก)',
  cpfHeading: (s) => `แหล่งกำเนิดใกล้ ${s}: ฟังก์ชันความน่าจะเป็นแบบมีเงื่อนไข`,
  cpfText: (t, min) =>
    `ความน่าจะเป็นที่ PM2.5 รายชั่วโมงสูงกว่าเปอร์เซ็นไทล์ที่ 75 (${t}) เมื่อลมพัดมาจากทิศหนึ่ง (มุม) ด้วยความเร็วหนึ่ง (ระยะจากศูนย์กลาง) ค่าสูงชี้ไปยังแหล่งกำเนิดใกล้เคียงในทิศนั้น แสดงเฉพาะช่องที่มีอย่างน้อย ${min} ชั่วโมง ช่องสีขาว = ข้อมูลน้อยเกินไป`,
  cpfP: 'ความน่าจะเป็น',
  cpfBin: (d0, d1, s0, s1, p, n) => `ลมจากทิศ ${d0}–${d1}° ความเร็ว ${s0}–${s1} ม./วินาที: P = ${p} (${n} ชั่วโมง)`,
  methodsHeading: 'วิธีการและข้อควรระวัง',
  methods: 'วิธีการ',
  caveats: 'ผลนี้บอกอะไรได้และบอกอะไรไม่ได้',
  methodsOnlyEn: 'รายละเอียดวิธีการด้านล่างเป็นภาษาอังกฤษ',
  downloads: 'ดาวน์โหลดข้อมูลเบื้องหลังหน้านี้',
  downloadNote: 'ไฟล์ที่ hazetrace เขียนไว้ในโฟลเดอร์เดียวกับรายงานนี้',
  footer: (when) => `สร้างโดย hazetrace เมื่อ ${when} ไฟล์เดียวใช้งานออฟไลน์ได้ ไม่ต้องใช้อินเทอร์เน็ต`,
  footerUndated: 'สร้างโดย hazetrace ไฟล์เดียวใช้งานออฟไลน์ได้ ไม่ต้องใช้อินเทอร์เน็ต',
  none: 'ไม่มี',
  na: 'ไม่มีข้อมูล',
  unknownRegion: 'ไม่ทราบพื้นที่',
  km: 'กม.',
  noEpisodes: 'ไม่มีช่วงฝุ่นเกินมาตรฐานในช่วงเวลานี้',
  statuses: {
    attributed: 'ระบุแหล่งแล้ว',
    'insufficient-data': 'ระบุแหล่งไม่ได้: ข้อมูลไม่พอ',
    'no-source-reached': 'ระบุแหล่งไม่ได้: ไม่มีแหล่งในระยะ',
  },
  categories: {
    fire_repeat_burn: 'ไฟในพื้นที่เผาซ้ำเกือบทุกปี',
    fire_other: 'ไฟอื่น ๆ',
    facility: 'โรงไฟฟ้า',
    report: 'การเผาที่มีผู้แจ้ง',
    area: 'การเผาที่ดาวเทียมไม่เห็น',
  },
  factors: {
    hotspot_detections: 'พบไฟในฤดูก่อน ๆ',
    hotspot_frp: 'กำลังไฟในฤดูก่อน ๆ',
    repeat_burn: 'เผาซ้ำหลายปี',
    hotspot_nearby: 'มีไฟในบริเวณใกล้เคียง',
    facility_proximity: 'ใกล้โรงไฟฟ้า',
  },
  levels: { low: 'ต่ำ', moderate: 'ปานกลาง', high: 'สูง', 'very high': 'สูงมาก' },
  countries: {
    THA: 'ไทย',
    MMR: 'เมียนมา',
    LAO: 'ลาว',
    KHM: 'กัมพูชา',
    VNM: 'เวียดนาม',
    CHN: 'จีน',
    IND: 'อินเดีย',
    BGD: 'บังกลาเทศ',
    MYS: 'มาเลเซีย',
    IDN: 'อินโดนีเซีย',
  },
  months: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
  yearOffset: 543,
  hourSuffix: ' น.',
  factorWords: (f, pts) => `${f} (${pts} คะแนน)`,
  factorThen: 'รองลงมา',
};

/**
 * English country names by ISO 3166 alpha-3 code (the report falls back to the code).
 *
 * @example
 * ```ts
 * import { COUNTRY_NAMES_EN } from 'hazetrace/report';
 * COUNTRY_NAMES_EN['MMR']; // 'Myanmar'
 * ```
 */
export const COUNTRY_NAMES_EN: Record<string, string> = {
  THA: 'Thailand',
  MMR: 'Myanmar',
  LAO: 'Laos',
  KHM: 'Cambodia',
  VNM: 'Vietnam',
  CHN: 'China',
  IND: 'India',
  BGD: 'Bangladesh',
  MYS: 'Malaysia',
  IDN: 'Indonesia',
  unknown: 'outside the mapped countries',
};
EN.countries = COUNTRY_NAMES_EN;
TH.countries['unknown'] = 'นอกประเทศที่อยู่ในแผนที่';

/**
 * The word table of a language. Throws `HazetraceError` `E_ARG` for a language other than 'en' or 'th'.
 *
 * @example
 * ```ts
 * import { reportWords } from 'hazetrace/report';
 * reportWords('th').categories['fire_other']; // 'ไฟอื่น ๆ'
 * ```
 */
export function reportWords(lang: string): ReportWords {
  if (lang === 'en') return EN;
  if (lang === 'th') return TH;
  throw new HazetraceError('E_ARG', `lang must be one of ${REPORT_LANGS.join(', ')}, got ${JSON.stringify(lang)}`);
}

/**
 * Human label of a code in a language: source category, risk factor, risk level, country or episode
 * status. Unknown codes come back with underscores turned into spaces.
 *
 * @example
 * ```ts
 * import { humanLabel } from 'hazetrace/report';
 * humanLabel('category', 'fire_repeat_burn', 'en'); // 'fires on land that burns most years'
 * humanLabel('country', 'MMR', 'th'); // 'เมียนมา'
 * ```
 */
export function humanLabel(kind: 'category' | 'factor' | 'level' | 'country' | 'status', code: string, lang: ReportLang = 'en'): string {
  checkString('code', code);
  const w = reportWords(lang);
  const table = kind === 'category' ? w.categories : kind === 'factor' ? w.factors : kind === 'level' ? w.levels : kind === 'country' ? w.countries : w.statuses;
  return table[code] ?? code.replace(/_/g, ' ');
}

/** A clock: UTC ms → local date/time strings at one UTC offset, in one language. */
export interface LocalClock {
  /** Offset in minutes east of UTC. */
  offsetMinutes: number;
  /** '+07:00'. */
  offsetLabel: string;
  /** '24 Apr 2025' / '24 เม.ย. 2568'. */
  day(t: number): string;
  /** '24 Apr 17:00' / '24 เม.ย. 17:00 น.'. */
  dayHour(t: number): string;
  /** '24 Apr 2025 17:00'. */
  full(t: number): string;
  /** Local days covered by [start, end): '23–24 Apr'. */
  days(start: number, end: number): string;
}

/**
 * A clock that writes times as people read them: local time at `utcOffset` (default '+07:00'), month
 * names and era of the language (Thai: Buddhist era, year + 543). Throws `HazetraceError` `E_ARG` for a
 * bad offset or language.
 *
 * @example
 * ```ts
 * import { localClock } from 'hazetrace/report';
 * localClock('+07:00', 'en').dayHour(Date.UTC(2025, 3, 23, 17)); // '24 Apr 00:00'
 * localClock('+07:00', 'th').day(Date.UTC(2025, 3, 23, 17)); // '24 เม.ย. 2568'
 * ```
 */
export function localClock(utcOffset: string | number = '+07:00', lang: ReportLang = 'en'): LocalClock {
  const w = reportWords(lang);
  const off = parseUtcOffset(utcOffset, 'utcOffset');
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const offsetLabel = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const parts = (t: number): { y: number; m: number; d: number; hh: string } => {
    const x = new Date(t + off * 60_000);
    return { y: x.getUTCFullYear() + w.yearOffset, m: x.getUTCMonth(), d: x.getUTCDate(), hh: `${String(x.getUTCHours()).padStart(2, '0')}:${String(x.getUTCMinutes()).padStart(2, '0')}` };
  };
  return {
    offsetMinutes: off,
    offsetLabel,
    day: (t) => {
      const p = parts(t);
      return `${p.d} ${w.months[p.m]} ${p.y}`;
    },
    dayHour: (t) => {
      const p = parts(t);
      return `${p.d} ${w.months[p.m]} ${p.hh}${w.hourSuffix}`;
    },
    full: (t) => {
      const p = parts(t);
      return `${p.d} ${w.months[p.m]} ${p.y} ${p.hh}${w.hourSuffix}`;
    },
    days: (start, end) => {
      const a = parts(start);
      const b = parts(Math.max(start, end - 1));
      if (a.d === b.d && a.m === b.m) return `${a.d} ${w.months[a.m]}`;
      if (a.m === b.m) return `${a.d}–${b.d} ${w.months[a.m]}`;
      return `${a.d} ${w.months[a.m]} – ${b.d} ${w.months[b.m]}`;
    },
  };
}

/**
 * A number as text in the language: fixed decimals, thousands separated by commas.
 *
 * @example
 * ```ts
 * import { formatNumber } from 'hazetrace/report';
 * formatNumber(12345.678, 1); // '12,345.7'
 * ```
 */
export function formatNumber(x: number, decimals = 0): string {
  checkInt('decimals', decimals, 0, 100);
  if (!Number.isFinite(x)) return '–';
  const s = x.toFixed(decimals);
  const [i, f] = s.split('.');
  const withSep = (i as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return f === undefined ? withSep : `${withSep}.${f}`;
}

/**
 * A fraction 0..1 as a percentage: one decimal below 10 %, none above.
 *
 * @example
 * ```ts
 * import { formatPercent } from 'hazetrace/report';
 * formatPercent(0.0532); // '5.3 %'
 * ```
 */
export function formatPercent(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
}
