import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { cellsToCsv, readFirmsCsv, readGeoJsonLayer, readPointsCsv, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import {
  readFirmsCsvFile,
  readFirmsGeoJsonFile,
  readGeoJsonLayerFile,
  readPointsCsvFile,
  readStationSeriesCsvFile,
  readStationsCsvFile,
  writeOutputFile,
} from '../../src/node/index.js';
import { expectCodeAsync, FIXTURES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hazetrace-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hazetrace/node file readers', () => {
  it('give the same results as the text readers on the fixtures', async () => {
    const f = (n: string): string => join(FIXTURES, n);
    expect(JSON.stringify(await readFirmsCsvFile(f('firms_modis_slice.csv')))).toBe(JSON.stringify(readFirmsCsv(readFileSync(f('firms_modis_slice.csv')))));
    expect(JSON.stringify(await readStationSeriesCsvFile(f('air4thai_hourly_slice.csv')))).toBe(JSON.stringify(readStationSeriesCsv(readFileSync(f('air4thai_hourly_slice.csv')))));
    expect(JSON.stringify(await readStationsCsvFile(f('air4thai_stations_slice.csv')))).toBe(JSON.stringify(readStationsCsv(readFileSync(f('air4thai_stations_slice.csv')))));
    expect(JSON.stringify(await readPointsCsvFile(f('gppd_powerplants_slice.csv')))).toBe(JSON.stringify(readPointsCsv(readFileSync(f('gppd_powerplants_slice.csv')))));
    expect((await readGeoJsonLayerFile(f('th_provinces_slice.geojson'))).features).toHaveLength(2);
    expect((await readFirmsGeoJsonFile(f('firms_viirs_snpp_nrt_northTH_2019-07_sample.geojson'))).hotspots.length).toBe(21);
  });

  it('streams a multi-chunk CSV (quoted multi-line fields and CRLF across 1 MiB chunk edges) to the same result', async () => {
    const rng = createRng(5);
    const lines = ['latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight,note'];
    for (let i = 0; i < 30_000; i++) {
      const note = i % 97 === 0 ? '"multi\r\nline, ""quoted"""' : 'n' + (i % 13);
      lines.push(`${(rng.next() * 20 + 5).toFixed(4)},${(rng.next() * 18 + 92).toFixed(4)},${(300 + rng.next() * 100).toFixed(1)},1.2,1.1,2025-04-2${i % 3},${String(i % 2400).padStart(4, '0').replace(/(\d\d)(\d\d)/, (_, h: string, m: string) => `${h}${String(Number(m) % 60).padStart(2, '0')}`)},T,${i % 101},6.1NRT,290.5,${(rng.next() * 50).toFixed(2)},D,${note}`);
    }
    const text = lines.join('\r\n') + '\r\n';
    const path = join(dir, 'big.csv');
    writeFileSync(path, '\uFEFF' + text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
    const a = await readFirmsCsvFile(path);
    const b = readFirmsCsv(text);
    expect(a.hotspots.length).toBe(30_000);
    expect(a.rejected).toEqual(b.rejected);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.hotspots.extra['note']![0]).toBe('multi\r\nline, "quoted"');
  });

  it('refuse empty, binary and missing files with coded errors', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '\n  \n');
    await expectCodeAsync(readFirmsCsvFile(empty), 'E_EMPTY');
    await expectCodeAsync(readStationSeriesCsvFile(join(FIXTURES, 'grid_4326.tif')), 'E_BINARY');
    const badUtf8 = join(dir, 'latin1.csv');
    writeFileSync(badUtf8, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xe9, 0x2c, 0x31, 0x0a]));
    await expectCodeAsync(readPointsCsvFile(badUtf8), 'E_BINARY');
    await expectCodeAsync(readStationsCsvFile(join(dir, 'nope.csv')), 'E_NOT_FOUND');
  });

  it('writeOutputFile writes writer output', async () => {
    const p = join(dir, 'cells.csv');
    const csv = cellsToCsv({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } });
    await writeOutputFile(p, csv);
    expect(readFileSync(p, 'utf8')).toBe(csv);
    await writeOutputFile(join(dir, 'b.bin'), new Uint8Array([1, 2]));
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2]);
    expect(readGeoJsonLayer('{"type":"Point","coordinates":[1,2]}').features).toHaveLength(1);
  });
});
