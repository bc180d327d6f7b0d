/**
 * End to end: run `hazetrace demo` on the embedded sample, open out/report.html in headless Chromium
 * and check what a person would see: no console errors, no network requests, ≥ 100 hexagons and the
 * back-trajectories on the map, charts with data. Saves a screenshot to test/artifacts/.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const OUT = join(ARTIFACTS, 'demo-out');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  // Say why loudly: a silently skipped e2e test looks like a pass.
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} not found. Install it with \`apt-get install -y chromium\` (the CI script .ci/run does).`);
}

describe.skipIf(!haveChromium)('demo report in headless Chromium', () => {
  let browser: Browser;
  let demoStdout = '';

  beforeAll(async () => {
    // `npm test` builds first; when run alone, build so the test never drives a stale CLI.
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
      const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
      if (b.status !== 0) throw new Error(`build failed:\n${b.stdout}\n${b.stderr}`);
    }
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'demo', '--out', OUT], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`demo failed with exit code ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
    demoStdout = r.stdout;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('writes the promised files', () => {
    for (const f of [
      'report.html',
      'hotspot_density.geojson',
      'risk_cells.geojson',
      'trajectories.geojson',
      'sources_ranked.geojson',
      'districts_ranked.csv',
      'attributed_shares.csv',
      'attribution.json',
    ]) {
      expect(existsSync(join(OUT, f)), f).toBe(true);
    }
    expect(demoStdout).toMatch(/report\.html/);
    // The JSON agrees with itself: demo.json repeats attribution.json's contract episodes, shares sum to 1.
    const attribution = JSON.parse(readFileSync(join(OUT, 'attribution.json'), 'utf8')) as { episodes: { sharesByCategory: Record<string, number>; sharesByRegion: Record<string, number> }[] };
    const demo = JSON.parse(readFileSync(join(OUT, 'demo.json'), 'utf8')) as { episodes: unknown[] };
    expect(attribution.episodes.length).toBeGreaterThan(0);
    expect(demo.episodes).toEqual(attribution.episodes);
    for (const e of attribution.episodes) {
      expect(Object.values(e.sharesByCategory).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Object.values(e.sharesByRegion).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const density = JSON.parse(readFileSync(join(OUT, 'hotspot_density.geojson'), 'utf8')) as { features: { properties: { h3: string } }[] };
    expect(density.features.length).toBeGreaterThanOrEqual(100);
    expect(readFileSync(join(OUT, 'districts_ranked.csv'), 'utf8').split('\n')[0]).toMatch(/^rank,id,name,mean_score/);
  });

  it('renders offline with no errors, ≥ 100 hexagons, trajectories and charts with data', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    const reportUrl = pathToFileURL(join(OUT, 'report.html')).href;
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => {
      if (r.url() !== reportUrl) requests.push(r.url());
    });
    await page.goto(reportUrl, { waitUntil: 'load' });

    const counts = await page.evaluate(() => {
      const q = (s: string) => Array.from(document.querySelectorAll(s));
      const drawn = (s: string) => q(s).filter((e) => (e.getAttribute('d') ?? '').length > 4).length;
      return {
        density: drawn('#map .hex.density'),
        risk: drawn('#map .hex.risk'),
        trajectories: drawn('#map .trajectory'),
        sources: q('#map .source').length,
        countries: drawn('#map .country'),
        seriesLines: drawn('#series .series-line'),
        categoryBars: q('#chart-category .bar').filter((e) => Number(e.getAttribute('width')) > 0).length,
        regionBars: q('#chart-region .bar').filter((e) => Number(e.getAttribute('width')) > 0).length,
        districtRows: q('#districts tbody tr').length,
        episodeRows: q('#episodes tbody tr').length,
        mapVisible: (document.querySelector('#map') as SVGElement | null)?.getBoundingClientRect().width ?? 0,
      };
    });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    expect(counts.density).toBeGreaterThanOrEqual(100);
    expect(counts.trajectories).toBeGreaterThan(0);
    expect(counts.sources).toBeGreaterThan(0);
    expect(counts.countries).toBeGreaterThan(0);
    expect(counts.seriesLines).toBeGreaterThan(0);
    expect(counts.categoryBars).toBeGreaterThan(0);
    expect(counts.regionBars).toBeGreaterThan(0);
    expect(counts.districtRows).toBeGreaterThan(0);
    expect(counts.episodeRows).toBeGreaterThan(0);
    expect(counts.mapVisible).toBeGreaterThan(400);

    // The layer toggle works (the only script in the page).
    await page.click('input[data-layer="layer-risk"]');
    const riskShown = await page.evaluate(() => (document.getElementById('layer-risk') as HTMLElement | null)?.style.display !== 'none');
    expect(riskShown).toBe(true);
    await page.click('input[data-layer="layer-risk"]');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.locator('#map-section').screenshot({ path: join(ARTIFACTS, 'report-map.png') });
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
    await page.close();
  });
});
