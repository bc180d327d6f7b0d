import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazetraceError } from '../../src/core/errors.js';
import { aecDecode, readGrib2, type Grib2Message } from '../../src/io/grib2/index.js';

// Fixtures and expected values: scripts/fixtures/make-grib2.sh (ecCodes 2.28). `<name>.values.txt` is what
// `grib_get_data -m missing` printed (lat lon value per point, one block per message), `<name>.meta.json` is `grib_ls -j`.
const dir = new URL('../fixtures/grib2/', import.meta.url);
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
interface Point { lat: number; lon: number; value: number }
function expected(name: string): Point[][] {
  const out: Point[][] = [];
  for (const line of readFileSync(new URL(`${name}.values.txt`, dir), 'utf8').split('\n')) {
    if (line.startsWith('Latitude')) out.push([]);
    else if (line.trim()) {
      const [lat, lon, v] = line.trim().split(/\s+/);
      out[out.length - 1]!.push({ lat: Number(lat), lon: Number(lon), value: v === 'missing' ? NaN : Number(v) });
    }
  }
  return out;
}
interface Meta { shortName: string; level: number; typeOfLevel: string; stepRange: string | number; dataDate: number; dataTime: number; Ni: number; Nj: number; scanningMode: number; numberOfMissing: number; packingType: string; bitsPerValue: number }
const meta = (name: string): Meta[] => (JSON.parse(readFileSync(new URL(`${name}.meta.json`, dir), 'utf8')) as { messages: Meta[] }).messages;

/** Value of message `m` at a point given in degrees (any longitude convention). */
function at(m: Grib2Message, lat: number, lon: number): number {
  const g = m.grid;
  const row = Math.round((lat - g.south) / g.dLat);
  const col = Math.round((((lon - g.west) % 360) + 360) % 360 / g.dLng);
  expect(row).toBeGreaterThanOrEqual(0);
  expect(row).toBeLessThan(g.ny);
  expect(col).toBeGreaterThanOrEqual(0);
  expect(col).toBeLessThan(g.nx);
  expect(Math.abs(g.south + row * g.dLat - lat)).toBeLessThan(1e-6);
  return m.values[row * g.nx + col]!;
}

/** Every point of every message equals ecCodes' value within the packing's precision (float32 rounding on top). */
function checkAgainstEcCodes(name: string, messages: Grib2Message[], exact = false): void {
  const exp = expected(name);
  expect(messages.length).toBe(exp.length);
  messages.forEach((m, i) => {
    expect(m.values.length).toBe(exp[i]!.length);
    let missing = 0;
    for (const p of exp[i]!) {
      const v = at(m, p.lat, p.lon);
      if (Number.isNaN(p.value)) {
        expect(v).toBeNaN();
        missing++;
        continue;
      }
      const tol = exact ? Math.abs(p.value) * 2 ** -23 : m.packing.precision + Math.abs(p.value) * 2 ** -23 + 1e-9 * Math.abs(p.value);
      if (!(Math.abs(v - p.value) <= tol)) throw new Error(`${name} message ${i} at ${p.lat},${p.lon}: ${v} vs ecCodes ${p.value} (tolerance ${tol})`);
    }
    expect(missing).toBe(meta(name)[i]!.numberOfMissing);
  });
}

describe('readGrib2: every packing equals ecCodes within the packing precision', () => {
  for (const name of ['packing_grid_simple', 'packing_grid_complex', 'packing_grid_complex_spatial_differencing', 'packing_sd1', 'packing_sd2', 'packing_sd1_gdal', 'packing_grid_ccsds', 'packing_grid_png']) {
    it(name, async () => {
      const r = await readGrib2(bytes(`${name}.grib2`));
      expect(r.skipped).toEqual([]);
      const m = meta(name);
      r.messages.forEach((msg, i) => {
        expect(msg.packing.name).toBe(m[i]!.packingType);
        expect(msg.packing.bitsPerValue).toBe(m[i]!.bitsPerValue);
        expect(msg.shortName).toBe(m[i]!.shortName);
      });
      checkAgainstEcCodes(name, r.messages);
    });
  }
  it('packing_grid_ieee (32-bit) and packing_ieee64 are exact (to float32)', async () => {
    for (const name of ['packing_grid_ieee', 'packing_ieee64']) {
      const r = await readGrib2(bytes(`${name}.grib2`));
      expect(r.messages.every((m) => m.packing.name === 'grid_ieee' && m.packing.precision === 0)).toBe(true);
      checkAgainstEcCodes(name, r.messages, true);
    }
  });
  it('packing_grid_jpeg: 16-bit, bitmap and constant fields decode; a 20-bit field is refused with E_UNAVAILABLE naming template 5.40', async () => {
    const all = readGrib2(bytes('packing_grid_jpeg.grib2'));
    await expect(all).rejects.toMatchObject({ code: 'E_UNAVAILABLE', details: { section: 7, template: 40 } });
    const r = await readGrib2(bytes('packing_grid_jpeg.grib2'), { filter: (m) => m.packing.bitsPerValue <= 16 });
    expect(r.messages.map((m) => m.shortName)).toEqual(['u', '2t', 't', 'tp']);
    expect(r.skipped).toEqual([{ offset: expect.any(Number) as number, index: 1, reason: 'filtered' }]);
    const exp = expected('packing_grid_jpeg');
    const mt = meta('packing_grid_jpeg');
    [0, 2, 3, 4].forEach((src, i) => {
      const m = r.messages[i]!;
      expect(m.packing.name).toBe('grid_jpeg');
      for (const p of exp[src]!) {
        const v = at(m, p.lat, p.lon);
        if (Number.isNaN(p.value)) expect(v).toBeNaN();
        else expect(Math.abs(v - p.value)).toBeLessThanOrEqual(m.packing.precision + Math.abs(p.value) * 2 ** -23);
      }
      expect(Array.from(m.values).filter(Number.isNaN).length).toBe(mt[src]!.numberOfMissing);
    });
  });
  it('the bitmap case marks the missing points NaN in every packing', async () => {
    for (const name of ['packing_grid_simple', 'packing_grid_ccsds', 'packing_grid_complex']) {
      const m = (await readGrib2(bytes(`${name}.grib2`))).messages.find((x) => x.shortName === '2t')!;
      expect(m.bitmap).toBe(true);
      expect(Array.from(m.values).filter(Number.isNaN).length).toBe(34);
      expect(m.level).toEqual({ type: 103, name: 'heightAboveGround', value: 2 });
    }
  });
});

describe('readGrib2: grids, scanning modes, levels and times', () => {
  it('north→south (0x00), south→north (0x40), i negative (0x80), j consecutive (0x20) give the same grid', async () => {
    const base = (await readGrib2(bytes('packing_grid_simple.grib2'))).messages[0]!;
    expect(base.grid.scanningMode).toBe(0);
    for (const [name, mode] of [['scan_40', 0x40], ['scan_80', 0x80], ['scan_20', 0x20]] as const) {
      const r = await readGrib2(bytes(`${name}.grib2`));
      const m = r.messages[0]!;
      expect(m.grid.scanningMode).toBe(mode);
      expect(meta(name)[0]!.scanningMode).toBe(mode);
      checkAgainstEcCodes(name, r.messages);
      const g = m.grid;
      expect([g.west, g.south, g.dLng, g.dLat, g.nx, g.ny]).toEqual([97, 17.5, 0.25, 0.25, 13, 11]);
      // the scanning flags only change the layout in the file, not the field: (the 0x40/0x80 fixtures relabel
      // the same stored values, so compare against ecCodes above; 0x00 ↔ 0x20 differ only in storage order)
      expect(m.values.length).toBe(base.values.length);
    }
  });
  it('boustrophedon rows (0x10): every second row is stored east→west (WMO code table 3.4 bit 4)', async () => {
    // ecCodes 2.28's grib_get_data ignores bit 4 (it prints scan_10 exactly as the unflagged message), so the
    // expectation is built from the stored order: row j (counted from the first, northernmost, row) is reversed when j is odd.
    const flagged = (await readGrib2(bytes('scan_10.grib2'))).messages[0]!;
    const plain = expected('scan_10')[0]!; // = the values in storage order, as ecCodes prints them
    const nx = 13;
    const ny = 11;
    expect(flagged.grid.scanningMode).toBe(0x10);
    for (let k = 0; k < plain.length; k++) {
      const j = Math.floor(k / nx);
      const i = k % nx;
      const col = j % 2 === 1 ? nx - 1 - i : i;
      const row = ny - 1 - j;
      expect(Math.abs(flagged.values[row * nx + col]! - plain[k]!.value)).toBeLessThanOrEqual(flagged.packing.precision + 1e-6);
    }
  });
  it('GFS-like file: 45 fields, centre 7, isobaric Pa, forecast hours, APCP intervals (PDT 4.8), 0.25° grid', async () => {
    const r = await readGrib2(bytes('gfs_like.grib2'));
    const mt = meta('gfs_like');
    expect(r.messages.length).toBe(mt.length);
    expect(r.skipped).toEqual([]);
    const ref = Date.UTC(2025, 2, 22, 6);
    r.messages.forEach((m, i) => {
      const e = mt[i]!;
      expect(m.centre).toBe(7);
      expect(m.shortName).toBe(e.shortName === 'blh' ? 'blh' : e.shortName);
      expect(m.referenceTime).toBe(ref);
      expect(m.packing.name).toBe('grid_complex_spatial_differencing');
      if (e.typeOfLevel === 'isobaricInhPa') expect(m.level).toEqual({ type: 100, name: 'isobaric', value: e.level * 100 });
      else expect(m.level?.name).toBe(e.typeOfLevel);
      const step = String(e.stepRange);
      if (step.includes('-')) {
        const [a, b] = step.split('-').map(Number);
        expect(m.interval).toEqual({ startHours: a, endHours: b, statistic: 1 });
        expect(m.validTime).toBe(ref + b! * 3_600_000);
      } else {
        expect(m.forecastHours).toBe(Number(step));
        expect(m.validTime).toBe(ref + Number(step) * 3_600_000);
      }
      const g = m.grid;
      expect([g.west, g.south, g.dLng, g.dLat, g.nx, g.ny, g.global]).toEqual([97, 17, 0.25, 0.25, 17, 13, false]);
    });
    expect(r.messages.filter((m) => m.shortName === 'tp').map((m) => m.interval)).toEqual([
      { startHours: 0, endHours: 3, statistic: 1 },
      { startHours: 0, endHours: 6, statistic: 1 },
    ]);
    checkAgainstEcCodes('gfs_like', r.messages);
  });
  it('ERA5-like file: centre 98, 0–360 longitudes (350°E) normalised to −10°, geopotential z', async () => {
    const r = await readGrib2(bytes('era5_like.grib2'));
    expect(r.messages.every((m) => m.centre === 98)).toBe(true);
    const g = r.messages[0]!.grid;
    expect([g.west, g.south, g.nx, g.ny]).toEqual([-10, 50, 17, 9]);
    expect(r.messages.map((m) => m.shortName)).toEqual(meta('era5_like').map((m) => m.shortName));
    checkAgainstEcCodes('era5_like', r.messages);
  });
  it('filter decodes only what it keeps', async () => {
    const r = await readGrib2(bytes('gfs_like.grib2'), { filter: (m) => m.shortName === 'u' && m.level?.value === 85000 });
    expect(r.messages.map((m) => m.forecastHours)).toEqual([0, 3, 6]);
    expect(r.skipped.filter((s) => s.reason === 'filtered').length).toBe(42);
  });
});

describe('readGrib2: streams and hostile input', () => {
  const one = (): Uint8Array => bytes('packing_grid_simple.grib2');
  const first = (): Uint8Array => {
    const b = one();
    const len = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(8));
    return b.slice(0, len);
  };
  const code = async (p: Promise<unknown>): Promise<HazetraceError> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof HazetraceError) return e;
      throw e;
    }
    throw new Error('expected a HazetraceError');
  };
  it('GRIB1 messages and junk between messages are skipped with a reason', async () => {
    const grib1 = new Uint8Array(40);
    grib1.set([0x47, 0x52, 0x49, 0x42, 0, 0, 40, 1]);
    grib1.set([0x37, 0x37, 0x37, 0x37], 36);
    const junk = new TextEncoder().encode('hello');
    const m = first();
    const all = new Uint8Array(grib1.length + junk.length + m.length);
    all.set(grib1);
    all.set(junk, 40);
    all.set(m, 45);
    const r = await readGrib2(all);
    expect(r.messages.length).toBe(1);
    expect(r.skipped.map((s) => s.reason)).toEqual(['GRIB edition 1 message (40 bytes): hazetrace reads GRIB edition 2 only', '5 bytes before the next "GRIB" marker']);
  });
  it('truncated message → E_FORMAT naming section 0', async () => {
    const m = first();
    const e = await code(readGrib2(m.subarray(0, m.length - 10)));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toMatch(/^GRIB2 section 0 \(indicator\): message at byte 0 claims \d+ bytes but the file ends/);
  });
  it('wrong section length → E_FORMAT naming the section', async () => {
    // section 1 starts at byte 16: claim more bytes than the message has, then a few bytes too many
    for (const extra of [100_000, 3]) {
      const m = first();
      const dv = new DataView(m.buffer, m.byteOffset);
      dv.setUint32(16, dv.getUint32(16) + extra);
      const e = await code(readGrib2(m));
      expect(e.code).toBe('E_FORMAT');
      expect(e.details).toMatchObject({ section: 1, offset: 16 });
      expect(e.message).toMatch(/^GRIB2 section 1 \(identification\): message at byte 0: section 1 at byte 16 claims \d+ bytes/);
    }
  });
  it('missing end marker → E_FORMAT naming section 8', async () => {
    const m = first();
    m[m.length - 1] = 0x36;
    const e = await code(readGrib2(m));
    expect(e.details).toMatchObject({ section: 8 });
  });
  /** Byte offset of section `n` in a single message. */
  const sectionAt = (m: Uint8Array, n: number): number => {
    const dv = new DataView(m.buffer, m.byteOffset);
    let p = 16;
    while (m[p + 4] !== n) p += dv.getUint32(p);
    return p;
  };
  it('unknown grid template → E_FORMAT naming section 3 and template 3.30; with unsupported: skip, listed', async () => {
    const m = first();
    const p = sectionAt(m, 3);
    new DataView(m.buffer, m.byteOffset).setUint16(p + 12, 30);
    const e = await code(readGrib2(m));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toContain('GRIB2 section 3 (grid definition): grid definition template 3.30 (Lambert conformal) is not supported');
    expect(e.details).toMatchObject({ section: 3, template: 30 });
    const r = await readGrib2(m, { unsupported: 'skip' });
    expect(r.messages).toEqual([]);
    expect(r.skipped[0]!.reason).toContain('template 3.30');
  });
  it('unknown product and packing templates → E_FORMAT naming sections 4 and 5', async () => {
    const m = first();
    new DataView(m.buffer, m.byteOffset).setUint16(sectionAt(m, 4) + 7, 15);
    expect((await code(readGrib2(m))).details).toMatchObject({ section: 4, template: 15 });
    const m2 = first();
    new DataView(m2.buffer, m2.byteOffset).setUint16(sectionAt(m2, 5) + 9, 51);
    const e = await code(readGrib2(m2));
    expect(e.message).toContain('data representation template 5.51 (spectral complex) is not supported');
    expect(e.details).toMatchObject({ section: 5, template: 51 });
  });
  it('section 7 shorter than the packed values → E_FORMAT naming section 7 and the template', async () => {
    for (const name of ['packing_grid_simple', 'packing_grid_complex', 'packing_sd2', 'packing_grid_ccsds']) {
      const b = bytes(`${name}.grib2`);
      const len = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(8));
      const m = b.slice(0, len);
      const p = sectionAt(m, 7);
      const dv = new DataView(m.buffer, m.byteOffset);
      const s7 = dv.getUint32(p);
      // cut the data section to 20 bytes and shift the end marker, fixing the lengths
      const cut = new Uint8Array(p + 20 + 4);
      cut.set(m.subarray(0, p + 20));
      cut.set([0x37, 0x37, 0x37, 0x37], p + 20);
      const cv = new DataView(cut.buffer);
      cv.setUint32(p, 20);
      cv.setBigUint64(8, BigInt(cut.length));
      expect(s7).toBeGreaterThan(20);
      const e = await code(readGrib2(cut));
      expect(e.code).toBe('E_FORMAT');
      expect(e.details).toMatchObject({ section: 7 });
      expect(e.message).toMatch(/template 5\.(0|2|3|42)/);
    }
  });
  it('no GRIB at all → E_FORMAT; bad arguments → E_ARG', async () => {
    expect((await code(readGrib2(new TextEncoder().encode('not a grib file')))).code).toBe('E_FORMAT');
    expect((await code(readGrib2('x' as unknown as Uint8Array))).code).toBe('E_ARG');
    expect((await code(readGrib2(first(), { unsupported: 'maybe' as 'skip' }))).code).toBe('E_ARG');
  });
});

describe('aecDecode (CCSDS 121.0-B)', () => {
  it('decodes uncompressed, split-sample, zero-block and second-extension blocks with preprocessing', () => {
    // hand-built stream: 8-bit samples, J = 8, rsi = 2, preprocessing; block 1: split k=1 with reference 100,
    // residuals 0..6 mapped; block 2 (no reference): zero block (id 000, bit 0, FS "1" = 1 block)
    const bits: string[] = [];
    const put = (x: number, n: number): void => void bits.push(x.toString(2).padStart(n, '0'));
    put(2, 3); // id 2 → split k = 1
    put(100, 8); // reference
    const d = [1, 2, 3, 4, 0, 0, 5]; // mapped residuals
    for (const x of d) bits.push('0'.repeat(x >> 1) + '1');
    for (const x of d) put(x & 1, 1);
    put(0, 3); // low entropy
    put(0, 1); // zero block
    bits.push('1'); // FS 0 → one zero block
    const s = bits.join('');
    const b = new Uint8Array(Math.ceil(s.length / 8) + 1);
    for (let i = 0; i < s.length; i++) if (s[i] === '1') b[i >> 3]! |= 0x80 >> (i & 7);
    const out = Array.from(aecDecode(b, 16, { bitsPerSample: 8, blockSize: 8, rsi: 2, flags: 8 }));
    // inverse mapping: d even → +d/2, odd → −(d+1)/2
    expect(out).toEqual([100, 99, 100, 98, 100, 100, 100, 97, 97, 97, 97, 97, 97, 97, 97, 97]);
  });
  it('a stream that ends early → E_FORMAT naming section 7 and template 5.42', () => {
    try {
      aecDecode(new Uint8Array([0xe0]), 8, { bitsPerSample: 8, blockSize: 8, rsi: 1, flags: 0 });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(HazetraceError);
      expect((e as HazetraceError).details).toMatchObject({ section: 7, template: 42 });
    }
  });
});
