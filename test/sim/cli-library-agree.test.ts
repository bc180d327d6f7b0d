/**
 * The twin benchmark's two user paths give one answer: a small twin exported to files, attributed by the CLI
 * (`node dist/cli/main.js attribute ... --json --out DIR`, needs `npm run build`) and by `attributeSeries` on the
 * same files read with the public readers, has the same shares (contract JSON) and the same bands (attribution.json),
 * and the bench's scoring gives the same numbers from either output.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { needsBuild } from '../shared-data.js';
import {
  attributeTwinFiles, contractShareDiff, exportScenarioFiles, scoreUserOutputs, setupTwin, twinAttributeArgs, twinHasFacilities,
} from '../../src/sim/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

type Band = { share: number; low: number | null; high: number | null };
type FullEpisode = { status?: string; episode: { station: string; start: string }; sharesByCategory?: Record<string, Band>; crossBorder?: Band };

describe('twin: CLI = library', () => {
  it('contractShareDiff sees a changed share, a missing episode and a changed source list', () => {
    const c = { episodes: [{ station: 'a', start: 't', sharesByCategory: { fire_other: 0.6, facility: 0.4 }, sharesByRegion: { THA: 1 }, sources: [{ id: 'x', share: 0.6 }, { id: 'y', share: 0.4 }] }] };
    expect(contractShareDiff(c, structuredClone(c))).toBe(0);
    const d = structuredClone(c);
    d.episodes[0]!.sharesByCategory.facility = 0.4 + 1e-6;
    expect(contractShareDiff(c, d)).toBeCloseTo(1e-6, 12);
    expect(contractShareDiff(c, { episodes: [] })).toBe(Infinity);
    const e = structuredClone(c);
    e.episodes[0]!.sources.pop();
    expect(contractShareDiff(c, e)).toBe(Infinity);
  });

  it.skipIf(!existsSync(MAIN) && !needsBuild('test/sim/cli-library-agree.test.ts', 'dist/cli/main.js'))('a small twin: same shares, bands and scores from the CLI and from attributeSeries', async () => {
    const setup = setupTwin(
      { name: 'agree', seed: 11, start: '2025-02-01T00:00:00Z', hours: 96, facilities: [{ id: 'mae-moh', lng: 99.73, lat: 18.3, emissionKgPerHour: 6000 }], wind: { speed: 3.5, directionFrom: 60 } },
      { particlesPerHour: 400 },
    );
    const files = exportScenarioFiles({ scenario: setup.scenario, dispersion: setup.dispersion, observations: setup.observations, perturbedWind: setup.perturbedWind });
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-twin-'));
    for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
    const out = join(dir, 'out');
    mkdirSync(out);
    expect(twinHasFacilities(files)).toBe(true);
    const r = spawnSync(process.execPath, [MAIN, ...twinAttributeArgs(dir, out, { facilities: true })], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stderr.slice(0, 2000)).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const cli = { contract: JSON.parse(r.stdout), full: JSON.parse(readFileSync(join(out, 'attribution.json'), 'utf8')) };

    const lib = await attributeTwinFiles(files);
    const libOut = { contract: JSON.parse(JSON.stringify(lib.contract())), full: JSON.parse(JSON.stringify(lib)) };
    // Something was attributed, with the facility among the sources (else the comparison proves little).
    expect(libOut.contract.episodes.length).toBeGreaterThan(0);
    expect(libOut.contract.episodes.some((e: { sources: { id: string }[] }) => e.sources.some((s) => s.id === 'mae-moh'))).toBe(true);
    expect(contractShareDiff(cli.contract, libOut.contract)).toBeLessThanOrEqual(1e-9);
    expect(cli.contract.unattributed.length).toBe(libOut.contract.unattributed.length);

    // Bands: attribution.json of the CLI = the library's toJSON.
    const bandsOf = (full: { episodes: FullEpisode[] }): Map<string, FullEpisode> => new Map(full.episodes.filter((e) => e.status === 'attributed').map((e) => [`${e.episode.station}|${e.episode.start}`, e]));
    const a = bandsOf(cli.full), b = bandsOf(libOut.full);
    expect(a.size).toBe(b.size);
    expect(a.size).toBeGreaterThan(0);
    for (const [k, ea] of a) {
      const eb = b.get(k)!;
      expect(eb).toBeDefined();
      for (const [c, band] of Object.entries(ea.sharesByCategory ?? {})) {
        expect(Math.abs(band.share - eb.sharesByCategory![c]!.share)).toBeLessThanOrEqual(1e-9);
        expect(Math.abs((band.low ?? 0) - (eb.sharesByCategory![c]!.low ?? 0))).toBeLessThanOrEqual(1e-9);
        expect(Math.abs((band.high ?? 0) - (eb.sharesByCategory![c]!.high ?? 0))).toBeLessThanOrEqual(1e-9);
      }
      if (ea.crossBorder) expect(Math.abs(ea.crossBorder.share - eb.crossBorder!.share)).toBeLessThanOrEqual(1e-9);
    }

    // The bench's scores, from either output.
    const sCli = scoreUserOutputs(setup, files, cli).skill;
    const sLib = scoreUserOutputs(setup, files, libOut).skill;
    expect(sCli.episodes).toBe(libOut.contract.episodes.length);
    for (const k of ['categoryShareMaePp', 'crossBorderMaePp', 'spearman', 'fireVsFacilityMaePp', 'repeatBurnShareMaePp', 'bandCoverage80'] as const) {
      expect(Number.isFinite(sCli[k])).toBe(true);
      expect(Math.abs(sCli[k] - sLib[k])).toBeLessThanOrEqual(1e-9);
    }
  }, 60_000);
});
