/**
 * Argument checks of the batch worker entry points: they fail at once with E_ARG (before any process or Redis
 * connection), not once per unit through the queue's retries.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planBatch, startBatchWorker, superviseBatchWorker } from '../../src/node/index.js';

describe('batch worker arguments', () => {
  it.each([
    ['maxUnits 0', { maxUnits: 0 }],
    ['maxUnits 1.5', { maxUnits: 1.5 }],
    ['chunkDays 0', { chunkDays: 0 }],
    ["wind 'bogus'", { wind: 'bogus' }],
    ["trajectories 'some'", { trajectories: 'some' }],
  ])('startBatchWorker with %s → E_ARG', (_, o) => {
    expect(() => startBatchWorker('out', o as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it.each([
    ['no options', undefined],
    ['unitsPerProcess missing', {}],
    ['unitsPerProcess 0', { unitsPerProcess: 0 }],
    ['maxFailures 0', { unitsPerProcess: 2, maxFailures: 0 }],
    ['chunkDays -1', { unitsPerProcess: 2, chunkDays: -1 }],
    ["wind 'bogus'", { unitsPerProcess: 2, wind: 'bogus' }],
  ])('superviseBatchWorker with %s → E_ARG (no process started)', (_, o) => {
    expect(() => superviseBatchWorker('out', o as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('planBatch: unitDays must be a whole number ≥ 1', async () => {
    // no spec file: a check that came after reading it would give E_INPUT instead
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-bargs-'));
    for (const unitDays of [0, -3, 2.5, Number.NaN]) {
      await expect(planBatch(join(dir, 'missing.json'), join(dir, 'out'), { unitDays })).rejects.toMatchObject({ code: 'E_ARG' });
    }
    await expect(planBatch(join(dir, 'missing.json'), join(dir, 'out'), { unitDays: 7 })).rejects.toMatchObject({ code: 'E_INPUT' });
  });
});
