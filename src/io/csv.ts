/**
 * A small RFC 4180 CSV tokenizer that hands each record to a callback as field offsets into the text
 * (no array of strings per row) and parses numbers straight from those offsets. It exists because the
 * readers turn millions of FIRMS rows into typed arrays: `bench/firms-parse.ts` measures it against
 * d3-dsv `csvParse` + per-row conversion, and `test/io/csv.test.ts` checks it field-for-field against
 * d3-dsv `csvParseRows` on random CSV (fast-check), including quoted fields with commas, quotes and
 * newlines, CRLF and LF.
 *
 * Grammar (RFC 4180 with the usual leniencies): fields are separated by `,`; records end at `\n`,
 * `\r\n` or a lone `\r`; a field that starts with `"` is quoted, `""` inside it is one `"`, and it may
 * hold separators and line breaks. A quoted field followed by anything other than a separator or the
 * end of the record, or a quote that never closes, marks the record `malformed` (readers reject it
 * with `E_QUOTE`) instead of guessing.
 */
import type { RejectedRow } from '../core/types.js';
import { HazetraceError } from '../core/errors.js';
import { decodeText, type TextInput } from './text.js';
import { checkString } from '../core/check.js';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Powers of ten that are exact doubles: m / 10^k is then correctly rounded when m < 2^53 (Clinger's fast path). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV record as offsets into the text being parsed. Valid only inside the callback that receives
 * it (the next record reuses the object).
 *
 * @example
 * ```ts
 * import { CsvTokenizer } from 'hazetrace/io';
 * let sum = 0;
 * new CsvTokenizer((rec, index) => { if (index > 0) sum += rec.num(1); }).parseAll('id,pm25\n35t,12.5\n36t,7.5\n');
 * sum; // 20
 * ```
 */
export class CsvRecord {
  /** The text the offsets point into. */
  text = '';
  /** Number of fields in this record. */
  count = 0;
  /** True when a quote was not closed or was followed by stray characters. */
  malformed = false;
  /** Field start offsets (for quoted fields: just after the opening quote). */
  starts = new Int32Array(64);
  /** Field end offsets (exclusive; for quoted fields: the closing quote). */
  ends = new Int32Array(64);
  /** 1 when the field was quoted, 2 when it also contains `""` escapes. */
  quoted = new Uint8Array(64);
  /** Characters the record spans, line break included (for size estimates). */
  span = 0;

  /** Make room for field `i`. */
  grow(i: number): void {
    if (i < this.starts.length) return;
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(n);
    e.set(this.ends);
    this.ends = e;
    const q = new Uint8Array(n);
    q.set(this.quoted);
    this.quoted = q;
  }

  /** Field `i` as a string ('' when the record has fewer fields). */
  get(i: number): string {
    if (i >= this.count) return '';
    const s = this.text.slice(this.starts[i]!, this.ends[i]!);
    return this.quoted[i] === 2 ? s.replace(/""/g, '"') : s;
  }

  /**
   * Field `i` through a content cache: a value seen before is returned as the same string without
   * allocating a substring (FIRMS repeats a handful of satellite/version/day-night codes a million
   * times; the garbage substrings were a measurable part of the parse's peak memory).
   */
  getCached(i: number, cache: Map<number, string>): string {
    if (i >= this.count) return '';
    const s = this.starts[i]!;
    const e = this.ends[i]!;
    const len = e - s;
    if (len > 24 || this.quoted[i] === 2) return this.get(i);
    const text = this.text;
    let h = len;
    for (let p = s; p < e; p++) h = (Math.imul(h, 31) + text.charCodeAt(p)) | 0;
    const hit = cache.get(h);
    if (hit !== undefined && hit.length === len && text.startsWith(hit, s)) return hit;
    const v = text.slice(s, e);
    if (cache.size < 65_536) cache.set(h, v);
    return v;
  }

  /** Field `i` as `YYYY-MM-DD` packed into y*10000 + m*100 + d without allocating, or -1 if not that shape. */
  isoDateKey(i: number): number {
    if (i >= this.count || this.ends[i]! - this.starts[i]! !== 10) return -1;
    const t = this.text;
    const s = this.starts[i]!;
    if (t.charCodeAt(s + 4) !== 45 || t.charCodeAt(s + 7) !== 45) return -1;
    let k = 0;
    for (const p of [0, 1, 2, 3, 5, 6, 8, 9]) {
      const c = t.charCodeAt(s + p) - 48;
      if (c < 0 || c > 9) return -1;
      k = k * 10 + c;
    }
    return k;
  }

  /** True when field `i` is empty (or absent). */
  isEmpty(i: number): boolean {
    return i >= this.count || this.starts[i] === this.ends[i];
  }

  /**
   * Field `i` as a number; NaN when empty, absent or not a plain finite decimal number (`0x10`,
   * `Infinity`, `1e400` and `1,5` are NaN, unlike `Number()`). Surrounding spaces are allowed.
   */
  num(i: number): number {
    if (i >= this.count) return NaN;
    const text = this.text;
    let p = this.starts[i]!;
    const end = this.ends[i]!;
    if (p === end) return NaN;
    // Fast path: [-+]digits[.digits] whose digits form an integer below 2^53, parsed from char codes.
    let neg = false;
    let c = text.charCodeAt(p);
    if (c === 45 || c === 43) {
      neg = c === 45;
      p++;
    }
    let m = 0;
    let nd = 0;
    let frac = 0;
    let seenDot = false;
    let ok = true;
    for (; p < end; p++) {
      c = text.charCodeAt(p);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        nd++;
        if (seenDot) frac++;
      } else if (c === 46 && !seenDot) {
        seenDot = true;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && nd > 0 && m <= 9007199254740991 && frac <= 22) {
      const v = frac === 0 ? m : m / POW10[frac]!;
      return neg ? -v : v;
    }
    const s = this.get(i).trim();
    if (!NUMBER_RE.test(s)) return NaN;
    const v = Number(s);
    return Number.isFinite(v) ? v : NaN; // 1e400 overflows to Infinity: not a usable number

  }
}

/** Receives each complete record; `index` counts records from 0 (header included, blank lines included). */
export type RecordCallback = (rec: CsvRecord, index: number) => void;

/**
 * Incremental tokenizer: `push` text chunks in order, then `end()`. Records that straddle a chunk
 * boundary are carried over, so a large file can be parsed while it is being read.
 *
 * @example
 * ```ts
 * import { CsvTokenizer } from 'hazetrace/io';
 * const rows: string[][] = [];
 * const tok = new CsvTokenizer((rec) => rows.push(Array.from({ length: rec.count }, (_, i) => rec.get(i))));
 * tok.push('a,"b\r');
 * tok.push('\nc"\r\n1,2');
 * tok.end();
 * rows; // [['a', 'b\r\nc'], ['1', '2']]
 * ```
 */
export class CsvTokenizer {
  private carry = '';
  private index = 0;
  private readonly rec = new CsvRecord();
  constructor(private readonly onRecord: RecordCallback) {}

  /** Feed the next chunk of text. */
  push(chunk: string): void {
    const text = this.carry.length > 0 ? this.carry + chunk : chunk;
    const used = this.parse(text, false);
    this.carry = used < text.length ? text.slice(used) : '';
  }

  /** Flush the last record (a final line without a line break counts). */
  end(): void {
    if (this.carry.length > 0) this.parse(this.carry, true);
    this.carry = '';
  }

  /** Parse whole text in one go. */
  parseAll(text: string): void {
    this.parse(text, true);
  }

  /** Parse complete records from `text`; returns how many chars were consumed. */
  private parse(text: string, final: boolean): number {
    const rec = this.rec;
    rec.text = text;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const recordStart = i;
      let f = 0;
      let malformed = false;
      let complete = false;
      for (;;) {
        if (f >= rec.starts.length) rec.grow(f);
        let c = i < n ? text.charCodeAt(i) : -1;
        if (c === QUOTE) {
          // Quoted field: find the closing quote, skipping "" escapes.
          let j = i + 1;
          let esc = false;
          let close = -1;
          for (;;) {
            const k = text.indexOf('"', j);
            if (k === -1) break;
            if (k + 1 < n && text.charCodeAt(k + 1) === QUOTE) {
              esc = true;
              j = k + 2;
              continue;
            }
            if (k + 1 >= n && !final) break; // a "" escape may continue in the next chunk
            close = k;
            break;
          }
          if (close === -1) {
            if (!final) return recordStart; // wait for more text
            // Unterminated quote: the field runs to the end; the record is malformed.
            rec.starts[f] = i + 1;
            rec.ends[f] = n;
            rec.quoted[f] = esc ? 2 : 1;
            f++;
            i = n;
            malformed = true;
            complete = true;
            break;
          }
          rec.starts[f] = i + 1;
          rec.ends[f] = close;
          rec.quoted[f] = esc ? 2 : 1;
          f++;
          i = close + 1;
          c = i < n ? text.charCodeAt(i) : -1;
          if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
            // Stray characters after the closing quote: skip to the next separator/line break.
            malformed = true;
            while (i < n) {
              c = text.charCodeAt(i);
              if (c === COMMA || c === LF || c === CR) break;
              i++;
            }
            if (i >= n) c = -1;
          }
        } else {
          const s = i;
          while (i < n) {
            c = text.charCodeAt(i);
            if (c === COMMA || c === LF || c === CR) break;
            i++;
          }
          if (i >= n) c = -1;
          rec.starts[f] = s;
          rec.ends[f] = i;
          rec.quoted[f] = 0;
          f++;
        }
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF) {
          i++;
          complete = true;
          break;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) return recordStart; // might be the CR of a CRLF split across chunks
          i++;
          if (i < n && text.charCodeAt(i) === LF) i++;
          complete = true;
          break;
        }
        // End of text without a line break.
        if (!final) return recordStart;
        complete = true;
        break;
      }
      if (complete) {
        rec.count = f;
        rec.span = i - recordStart;
        rec.malformed = malformed;
        this.onRecord(rec, this.index++);
      }
    }
    return n;
  }
}

/**
 * Parse CSV text into arrays of strings (one per record), the same shape as d3-dsv `csvParseRows`.
 * Convenient for small files and tests; the readers use {@link CsvTokenizer} directly.
 *
 * @example
 * ```ts
 * import { parseCsvRows } from 'hazetrace/io';
 * parseCsvRows('a,b\n1,"x, ""y"""\n'); // [['a', 'b'], ['1', 'x, "y"']]
 * ```
 */
export function parseCsvRows(text: string): string[][] {
  checkString('text', text);
  const out: string[][] = [];
  new CsvTokenizer((rec) => {
    const row = new Array<string>(rec.count);
    for (let i = 0; i < rec.count; i++) row[i] = rec.get(i);
    out.push(row);
  }).parseAll(text);
  return out;
}

/** What a table reader does with the header and with each well-formed data row. */
export interface CsvSink {
  /** Called once with the header names (trimmed, as written). */
  header(names: string[]): void;
  /** Called for each data row whose field count matches the header; `row` is the 1-based data row. */
  row(rec: CsvRecord, row: number): void;
  /** Optional: told once, at the first data row, roughly how many rows to expect (to pre-size columns). */
  reserve?(rows: number): void;
}

/**
 * Drives a {@link CsvSink}: the first non-blank record is the header; blank lines are skipped (they
 * hold no data, so nothing is dropped); a record with a different number of fields than the header
 * is rejected with `E_COLUMNS`, a malformed quote with `E_QUOTE`. `row` numbers count records after
 * the header (blank lines included), so row N is the (N+1)-th record of the file.
 */
export class CsvTable {
  readonly rejected: RejectedRow[] = [];
  /** Data records seen (rejected ones included, blank lines excluded). */
  rows = 0;
  headerNames: string[] | null = null;
  /** Total characters expected (text length, or file size when streaming); 0 = unknown. */
  expectedChars = 0;
  private headerIndex = -1;
  private consumed = 0;
  readonly tokenizer: CsvTokenizer;

  constructor(private readonly sink: CsvSink) {
    this.tokenizer = new CsvTokenizer((rec, index) => this.onRecord(rec, index));
  }

  private onRecord(rec: CsvRecord, index: number): void {
    this.consumed += rec.span;
    if (rec.count === 1 && rec.quoted[0] === 0 && rec.get(0).trim() === '') return; // blank (or all-space) line
    if (this.headerNames === null) {
      const names: string[] = [];
      for (let i = 0; i < rec.count; i++) names.push(rec.get(i).trim());
      this.headerNames = names;
      this.headerIndex = index;
      this.sink.header(names);
      return;
    }
    if (this.rows === 0 && this.expectedChars > 0 && this.sink.reserve && rec.span > 0) {
      // Pre-size the columns from the first data row's length so a million rows are not grown by
      // doubling (which holds old + new arrays at once). 5 % slack, capped (a row is never under
      // 8 chars in the formats read here); the builders trim what is left over.
      const remaining = this.expectedChars - this.consumed + rec.span;
      const estimate = Math.ceil((remaining / rec.span) * 1.05) + 16;
      this.sink.reserve(Math.min(estimate, Math.ceil(remaining / 8) + 16, 16_000_000));
    }
    const row = index - this.headerIndex;
    this.rows++;
    if (rec.malformed) {
      this.rejected.push({ row, code: 'E_QUOTE', message: `row ${row}: a quoted field is not closed properly` });
      return;
    }
    if (rec.count !== this.headerNames.length) {
      this.rejected.push({
        row,
        code: 'E_COLUMNS',
        message: `row ${row} has ${rec.count} fields, the header has ${this.headerNames.length}`,
      });
      return;
    }
    this.sink.row(rec, row);
  }

  /** Parse complete text. */
  parseAll(text: string): this {
    this.expectedChars = text.length;
    this.tokenizer.parseAll(text);
    this.finish();
    return this;
  }

  /** After the last chunk: check a header was seen. */
  finish(): void {
    if (this.headerNames === null) throw new HazetraceError('E_EMPTY', 'CSV input has no header row', { argument: 'input' });
  }
}

/**
 * A CSV reader split in two so the same code serves whole text and streamed files: feed `table`
 * (`table.parseAll(text)`, or `table.tokenizer.push(chunk)` … `end()` then `table.finish()`), then `finish()`.
 * @internal
 */
export interface CsvReaderJob<R> {
  table: CsvTable;
  finish(): R;
}

/**
 * Make a job from a builder (a {@link CsvSink}) and the step that turns it, plus the CSV layer's own
 * rejections (field count, quoting), into the reader's result. @internal
 */
export function csvJob<R>(builder: CsvSink, finish: (tableRejected: RejectedRow[]) => R): CsvReaderJob<R> {
  const table = new CsvTable(builder);
  return { table, finish: () => finish(table.rejected) };
}

/** Run a job over whole text input (decoded and checked by `decodeText`). @internal */
export function runCsvText<R>(input: TextInput, what: string, job: CsvReaderJob<R>): R {
  job.table.parseAll(decodeText(input, what));
  return job.finish();
}

/** Lower-case, trimmed header lookup: the index of the first name in `candidates` present, or -1. */
export function findColumn(names: readonly string[], candidates: readonly string[]): number {
  const lower = names.map((n) => n.trim().toLowerCase());
  for (const c of candidates) {
    const i = lower.indexOf(c.toLowerCase());
    if (i !== -1) return i;
  }
  return -1;
}

/** Throw `E_COLUMNS` naming the missing required columns and the header that was found. */
export function missingColumns(what: string, missing: string[], names: readonly string[]): HazetraceError {
  return new HazetraceError(
    'E_COLUMNS',
    `${what}: missing required column(s) ${missing.map((m) => JSON.stringify(m)).join(', ')}; header is ${JSON.stringify(names.join(','))}`,
    { missing, header: [...names] },
  );
}

/** Interns repeated strings (satellite codes, versions, ids) so a million rows share a handful of strings. */
export class Interner {
  private readonly map = new Map<string, string>();
  get(s: string): string {
    const hit = this.map.get(s);
    if (hit !== undefined) return hit;
    if (this.map.size < 100_000) this.map.set(s, s);
    return s;
  }
}

/** A growable Float64Array column. */
export class F64Column {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  /** Make room for `n` values in total. */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const d = new Float64Array(n);
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }
  /**
   * The values: a view when at most a quarter of the capacity is spare (no copy, so no second
   * full-size array at the peak), else an exact-length copy that releases the spare capacity.
   */
  finish(): Float64Array {
    const spare = this.data.length - this.length;
    return spare <= this.data.length / 4 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

/** A growable string column, pre-sizable like {@link F64Column}. */
export class StrColumn {
  data: string[] = [];
  length = 0;
  push(v: string): void {
    this.data[this.length++] = v;
  }
  reserve(n: number): void {
    if (n > this.data.length && this.length === 0) this.data = new Array<string>(n);
  }
  finish(): string[] {
    this.data.length = this.length;
    return this.data;
  }
}
