import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStationsCsv } from '../../src/io/index.js';
import { COUNTRY_RINGS, NORTH_STATIONS, buildScenario, countryOf } from '../../src/sim/index.js';
import { SHARED_DATA, needsSharedData } from '../shared-data.js';

const shared = SHARED_DATA;

describe('embedded real geography', () => {
  it.skipIf(!needsSharedData('test/sim/embedded.test.ts "NORTH_STATIONS"'))('NORTH_STATIONS are the Air4Thai coordinates of the shared station list', () => {
    const { stations } = readStationsCsv(readFileSync(join(shared!, 'air4thai_stations.csv')));
    for (const [id, , lng, lat] of NORTH_STATIONS) {
      const i = stations.id.indexOf(id);
      expect(i, id).toBeGreaterThanOrEqual(0);
      expect(stations.lng[i]).toBeCloseTo(lng, 6);
      expect(stations.lat[i]).toBeCloseTo(lat, 6);
    }
  });
  it('default monitors are Thai; the simplified rings put all but the border-river station 73t in Thailand', () => {
    for (const [id, , lng, lat] of NORTH_STATIONS) if (id !== '73t') expect(countryOf(lng, lat), id).toBe('THA');
    expect(buildScenario({ hours: 24 }).monitors.find((m) => m.id === '73t')?.country).toBe('THA');
    expect(Object.keys(COUNTRY_RINGS).sort()).toEqual(['CHN', 'LAO', 'MMR', 'THA', 'VNM']);
  });
});
