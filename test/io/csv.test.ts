import { csvParseRows } from 'd3-dsv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecord, CsvTokenizer, parseCsvRows, toCsv } from '../../src/io/index.js';

/** Serialise rows as valid RFC 4180 CSV, quoting where needed and sometimes where not. */
function serialise(rows: string[][], quoteAll: boolean[], eols: string[], trailing: boolean): string {
  let out = '';
  rows.forEach((row, r) => {
    out += row
      .map((f, k) => (quoteAll[(r * 7 + k) % quoteAll.length] || /[",\r\n]/.test(f) ? '"' + f.replace(/"/g, '""') + '"' : f))
      .join(',');
    if (r < rows.length - 1 || trailing) out += eols[r % eols.length];
  });
  return out;
}

// Field text drawn from characters that stress a CSV parser.
const field = fc.string({ unit: fc.constantFrom('a', 'b', '1', '.', ' ', ',', '"', '\n', '\r', 'ก', '-'), maxLength: 8 });
const rowsArb = fc
  .array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 })
  // A record of one empty unquoted field is a blank line, which d3 and RFC 4180 both read as [''];
  // keep it but make sure the first field of each row is not ambiguous with a trailing newline at the end.
  .filter((rows) => !(rows[rows.length - 1]!.length === 1 && rows[rows.length - 1]![0] === ''));

describe('CSV tokenizer against d3-dsv csvParseRows', () => {
  it('parses random RFC 4180 CSV (quotes, embedded commas/newlines/quotes, CRLF/LF/CR) exactly like d3-dsv', () => {
    fc.assert(
      fc.property(rowsArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 3 }), fc.boolean(), (rows, quoteAll, eols, trailing) => {
        const text = serialise(rows, quoteAll, eols, trailing);
        const ours = parseCsvRows(text);
        expect(ours).toEqual(csvParseRows(text));
        // A lone CR followed by an empty record's LF reads as one CRLF, so only LF/CRLF texts must give back `rows`.
        if (!eols.includes('\r')) expect(ours).toEqual(rows);
      }),
      { numRuns: 400, seed: 20260427 },
    );
  });

  it('gives the same records when the text arrives in arbitrary chunks', () => {
    fc.assert(
      fc.property(rowsArb, fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 2 }), fc.array(fc.nat(), { maxLength: 6 }), (rows, eols, cuts) => {
        const text = serialise(rows, [false, true], eols, true);
        const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const got: string[][] = [];
        const tok = new CsvTokenizer((rec) => got.push(Array.from({ length: rec.count }, (_, i) => rec.get(i))));
        let prev = 0;
        for (const p of positions) {
          tok.push(text.slice(prev, p));
          prev = p;
        }
        tok.push(text.slice(prev));
        tok.end();
        expect(got).toEqual(csvParseRows(text));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('handles the classic cases by hand', () => {
    expect(parseCsvRows('a,b\r\n1,"x, ""y"""\r\n')).toEqual([['a', 'b'], ['1', 'x, "y"']]);
    expect(parseCsvRows('a,"multi\nline"\n')).toEqual([['a', 'multi\nline']]);
    expect(parseCsvRows('a,,\n')).toEqual([['a', '', '']]);
    expect(parseCsvRows('')).toEqual([]);
  });

  it('marks an unclosed quote or stray text after a closing quote as malformed', () => {
    const seen: boolean[] = [];
    new CsvTokenizer((rec) => seen.push(rec.malformed)).parseAll('a,b\n"x"y,2\n"open,3\n');
    expect(seen).toEqual([false, true, true]);
  });
});

describe('CsvRecord.num', () => {
  function numOf(s: string): number {
    let v = NaN;
    new CsvTokenizer((rec: CsvRecord) => (v = rec.num(0))).parseAll(s + '\n');
    return v;
  }
  it('equals Number() for every plain decimal (the fast path is exact)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 8 }), (x, digits) => {
        const s = x.toFixed(digits);
        expect(Object.is(numOf(s), Number(s)) || (numOf(s) === 0 && Number(s) === 0)).toBe(true);
        const t = String(x);
        expect(numOf(t)).toBe(Number(t));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
  it('is NaN for empty and non-decimal text (unlike Number)', () => {
    for (const s of ['', ' ', 'abc', '0x10', 'Infinity', '"1,5"', '.', '-', '1e']) expect(numOf(s === '' ? '""' : s)).toBeNaN();
    expect(numOf(' 12.5 ')).toBe(12.5);
    expect(numOf('1e3')).toBe(1000);
    expect(numOf('-0.25')).toBe(-0.25);
  });
});

describe('toCsv', () => {
  it('round-trips random text and numbers through d3-dsv', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(field, fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 10 }), (rows) => {
        const text = toCsv(['name', 'value'], rows);
        const back = csvParseRows(text);
        expect(back[0]).toEqual(['name', 'value']);
        rows.forEach(([s, x], i) => {
          expect(back[i + 1]![0]).toBe(s);
          expect(Number(back[i + 1]![1])).toBe(x === 0 ? 0 : x);
        });
      }),
      { numRuns: 300, seed: 11 },
    );
  });
  it('writes columns, empty for NaN/null, inf for Infinity, and validates shapes', () => {
    expect(toCsv(['a', 'b'], { columns: [new Float64Array([1, NaN, Infinity]), ['x', null, ' y']] })).toBe('a,b\n1,x\n,\ninf," y"\n');
    expect(toCsv(['a'], [[-0]], { newline: '\r\n' })).toBe('a\r\n0\r\n');
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/rows\[0\] must have 2 values/);
    expect(() => toCsv(['a', 'b'], { columns: [[1], [1, 2]] })).toThrow(/columns\[1\]/);
  });
});
