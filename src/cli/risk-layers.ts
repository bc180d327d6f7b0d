/**
 * `hazetrace risk` options for the extra factor layers (docs/risk-factors.md): a land-cover raster, protected-area
 * polygons and a daily weather series. Reads the files, builds the hazetrace/risk layers, notes rejected rows.
 */
import { readGeoTiff } from '../io/index.js';
import { fireWeatherLayer, landCoverLayer, parseLegend, protectedAreasLayer, readWeatherCsv, type RiskFactorLayer } from '../risk/index.js';
import { usageError, withInput } from './errors.js';
import { optionalOption, readBinary, readText } from './options.js';
import { loadPolygons, type InputNote } from './inputs.js';

/** The options, merged into the `risk` command's. */
export const RISK_LAYER_OPTIONS: Record<string, { type: 'string'; default?: string; help: string }> = {
  landcover: { type: 'string', help: 'categorical land-cover GeoTIFF (ESA WorldCover codes by default) → lc_<class> factors (share of the cell)' },
  'landcover-legend': { type: 'string', help: 'land-cover legend "code=name[:risk|protective],..." (default: ESA WorldCover, burnable = risk)' },
  'landcover-classes': { type: 'string', help: 'land-cover classes to use, e.g. "cropland,forest" (default: those present)' },
  protected: { type: 'string', help: 'protected areas / reserves GeoJSON → protected_area (share of the cell inside)' },
  'protected-sign': { type: 'string', default: 'risk', help: 'sign of protected_area: risk or protective' },
  weather: { type: 'string', help: 'daily noon weather CSV date,temp_c,rh_pct,wind_kmh,rain_mm[,station,lat,lng] → fwi_season_mean, fwi_high_days' },
  'weather-months': { type: 'string', default: '2,3,4', help: 'fire-season months of the FWI season factors' },
};

/** Build the layers the options ask for (none when no layer option is given). */
export async function loadRiskLayers(v: Record<string, string | boolean | undefined>, cwd: string, notes: InputNote[]): Promise<RiskFactorLayer[]> {
  const layers: RiskFactorLayer[] = [];
  const lcPath = optionalOption(v, 'landcover');
  if (lcPath) {
    const buf = readBinary('landcover', lcPath, cwd);
    const raster = await withInput(`--landcover ${lcPath}`, () => readGeoTiff(buf), 'give a single-band categorical GeoTIFF (class codes per pixel)');
    const legendText = optionalOption(v, 'landcover-legend');
    const classesText = optionalOption(v, 'landcover-classes');
    layers.push(
      await withInput(`--landcover ${lcPath}`, () =>
        landCoverLayer(raster, {
          ...(legendText ? { legend: parseLegend(legendText) } : {}),
          ...(classesText ? { classes: classesText.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        }),
      ),
    );
  } else if (optionalOption(v, 'landcover-legend') || optionalOption(v, 'landcover-classes')) {
    throw usageError('--landcover-legend / --landcover-classes need --landcover FILE.tif', '--landcover');
  }
  const paPath = optionalOption(v, 'protected');
  if (paPath) {
    const sign = String(v['protected-sign'] ?? 'risk');
    if (sign !== 'risk' && sign !== 'protective') throw usageError(`--protected-sign must be risk or protective, got ${JSON.stringify(sign)}`, '--protected-sign');
    const { fc, note } = await loadPolygons('protected', paPath, cwd);
    notes.push(note);
    layers.push(await withInput(`--protected ${paPath}`, () => protectedAreasLayer(fc, { sign })));
  }
  const wPath = optionalOption(v, 'weather');
  if (wPath) {
    const monthsText = String(v['weather-months'] ?? '2,3,4');
    const months = monthsText.split(',').map((s) => Number(s.trim()));
    if (months.length === 0 || !months.every((m) => Number.isInteger(m) && m >= 1 && m <= 12)) {
      throw usageError(`--weather-months must be months 1-12 separated by commas, got ${JSON.stringify(monthsText)}`, '--weather-months');
    }
    const text = readText('weather', wPath, cwd);
    const read = await withInput(`--weather ${wPath}`, () => readWeatherCsv(text), 'give a CSV date,temp_c,rh_pct,wind_kmh,rain_mm (noon local weather, one row per day; optional station,lat,lng)');
    notes.push({ option: 'weather', path: wPath, accepted: read.stations.reduce((s, x) => s + x.days.length, 0), rejected: read.rejected });
    layers.push(await withInput(`--weather ${wPath}`, () => fireWeatherLayer(read, { months }), 'the weather must cover the --weather-months'));
  }
  return layers;
}
