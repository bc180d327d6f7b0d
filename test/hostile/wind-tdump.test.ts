/**
 * Hostile-input corpus: HYSPLIT tdump reader — malformed point lines are rejected with their line number, a broken
 * header is E_FORMAT naming its line; no date rolls over.
 */
import { describe, expect, it } from 'vitest';
import { readTdump } from '../../src/wind/index.js';
import { expectHazetraceErrorSync } from './helpers.js';

const HEADER = [
  '     1     1',
  '    GDAS    25     4    22     0     0',
  '     1 BACKWARD OMEGA   ',
  '    25     4    22    12   18.788   98.985    500.0',
  '     1 PRESSURE',
];
const P0 = '     1     1    25     4    22    12     0     0     0.0   18.788   98.985    500.0    952.1';
const P1 = '     1     1    25     4    22    11     0     0    -1.0   18.820   99.101    487.2    953.4';
const file = (...points: string[]): string => [...HEADER, ...points].join('\n');

describe('hostile: tdump', () => {
  it('tdump: a point line with too few numbers is rejected with its line number', () => {
    const t = readTdump(file(P0, '     1     1    25     4    22', P1));
    expect(t.length).toBe(1);
    expect(t.lng.length).toBe(2);
    expect(t.rejected.map((r) => [r.row, r.code])).toEqual([[7, 'E_COLUMNS']]);
  });

  it('tdump: month 13 is rejected (E_DATE on its line), not rolled into next January', () => {
    const t = readTdump(file(P0, P1.replace('    25     4    22    11', '    25    13    22    11')));
    expect(t.rejected).toEqual([{ row: 7, column: 'time', code: 'E_DATE', message: 'bad date 25 13 22 11 0' }]);
  });

  it('tdump: 31 April is rejected, not read as 1 May', () => {
    const t = readTdump(file(P0, P1.replace('    25     4    22    11', '    25     4    31    11')));
    expect(t.rejected.map((r) => [r.row, r.code])).toEqual([[7, 'E_DATE']]);
  });

  it('tdump: an overflowing number (1e999) is rejected as not finite', () => {
    const t = readTdump(file(P0, P1.replace('487.2', '1e999')));
    expect(t.rejected.map((r) => [r.row, r.code])).toEqual([[7, 'E_NUMBER']]);
  });

  it('tdump: latitude 95 is rejected as a coordinate', () => {
    const t = readTdump(file(P0, P1.replace('18.820', '95.000')));
    expect(t.rejected.map((r) => [r.row, r.code])).toEqual([[7, 'E_COORD']]);
  });

  it('tdump: a trajectory number beyond the header count is rejected', () => {
    const t = readTdump(file(P0, P1.replace(/^ {5}1/, '     7')));
    expect(t.rejected.map((r) => [r.row, r.column, r.code])).toEqual([[7, 'trajectory', 'E_NUMBER']]);
  });

  it('tdump: a meteorological grid record with month 0 is E_FORMAT on line 2', () => {
    const lines = file(P0).split('\n');
    lines[1] = '    GDAS    25     0    22     0     0';
    const e = expectHazetraceErrorSync(() => readTdump(lines.join('\n')), 'E_FORMAT');
    expect(e.message).toMatch(/^tdump line 2: expected meteorological grid record 1 with a valid date/);
  });

  it('tdump: a starting location at latitude 123 is E_FORMAT on line 4', () => {
    const lines = file(P0).split('\n');
    lines[3] = '    25     4    22    12  123.000   98.985    500.0';
    const e = expectHazetraceErrorSync(() => readTdump(lines.join('\n')), 'E_FORMAT');
    expect(e.message).toMatch(/^tdump line 4: expected starting location 1 with a valid date/);
  });

  it('tdump: a file cut after the grid records is E_FORMAT naming the missing record', () => {
    const e = expectHazetraceErrorSync(() => readTdump(HEADER.slice(0, 2).join('\n')), 'E_FORMAT');
    expect(e.message).toBe('tdump line 3: expected the number of trajectories, direction and vertical motion method, got "<end of file>"');
  });

  it('tdump: a claimed 10^9 trajectories is E_FORMAT, not a billion-line wait', () => {
    const lines = file(P0).split('\n');
    lines[2] = '1000000000 BACKWARD OMEGA';
    const e = expectHazetraceErrorSync(() => readTdump(lines.join('\n')), 'E_FORMAT');
    expect(e.message).toMatch(/^tdump line 3: expected a number of trajectories in 1\.\.100000/);
  });

  it('tdump: diagnostic labels that do not match their count are E_FORMAT on line 5', () => {
    const lines = file(P0).split('\n');
    lines[4] = '     2 PRESSURE';
    const e = expectHazetraceErrorSync(() => readTdump(lines.join('\n')), 'E_FORMAT');
    expect(e.message).toBe('tdump line 5: expected 2 diagnostic labels, got "     2 PRESSURE"');
  });
});
