/**
 * hazetrace/risk: area risk scoring (docs/risk.md) — factors per H3 cell,
 * normalisation, the weighted 0–100 score with per-factor contributions, calibration against
 * later burning (logistic regression, AUC with bootstrap intervals), roll-up to any polygon
 * layer, and GeoJSON / CSV / JSON outputs.
 */
export { normaliseFactor } from './normalise.js';
// midRanks / sortOrder live in core (`import { midRanks } from 'hazetrace'`): one import path per function.
export type { NormaliseMethod, NormalisedFactor } from './normalise.js';
export {
  scoreRisk,
  riskLevel,
  resolveWeights,
  topFactors,
  RISK_LEVELS,
  DEFAULT_RISK_THRESHOLDS,
  DEFAULT_RISK_WEIGHTS,
} from './score.js';
export type { RiskLevel, RiskInput, ScoreRiskOptions, RiskScores, RiskScoresJson } from './score.js';
export { fitLogistic, auc, bootstrapAuc, calibrateRisk, historyPeriods } from './calibrate.js';
export type {
  LogisticOptions,
  LogisticFit,
  BootstrapOptions,
  AucInterval,
  BootstrapAucResult,
  CalibrationPeriod,
  RiskCalibrationOptions,
  HoldoutEvaluation,
  RiskCalibration,
  HistoryPeriodsOptions,
} from './calibrate.js';
export {
  hotspotHistoryFactors,
  burntCells,
  landUseFactors,
  facilityFactors,
  downwindExposure,
  firesDownwindExposure,
  buildRiskFactors,
  cellsInGeometry,
  domainCells,
  cellCentres,
  cellAreasKm2,
} from './factors.js';
export type {
  FactorColumns,
  PointColumns,
  HotspotHistoryOptions,
  HotspotHistory,
  LandUseOptions,
  FacilityOptions,
  DownwindOptions,
  FiresDownwindOptions,
  RiskLayers,
  DomainInput,
  RiskFactorSet,
} from './factors.js';
export { rollupCells, rollupRisk, riskToGeoJson, NAME_PROPERTIES } from './areas.js';
export type { RollupOptions, AreaStats, AreaRisk, AreaRiskTable, RollupRiskOptions, RiskGeoJsonOptions } from './areas.js';
export { scoreAreas } from './pipeline.js';
export type { ScoreAreasInputs, ScoreAreasOptions, ScoreAreasResult, ScoreAreasFacilities, WeightsSource, RiskValidation, ExtraFactors } from './pipeline.js';
export { PROBABILITY_BANDS, probabilityLevel } from './levels.js';
export { probabilityFeature, fitBurnModel, predictBurnProbability } from './probability.js';
export type { BurnModel, BurnModelOptions } from './probability.js';
export { reliabilityCurve, liftAtTop } from './validation.js';
export type { ReliabilityBin, Lift } from './validation.js';
export { explainCells, explainAreas, explanationText } from './explain.js';
export type { ExplanationItem, ExplainInput, ExplainAreasInput } from './explain.js';
// Extra factor layers (docs/risk-factors.md): land cover, protected areas / user layers, fire weather.
export { polygonLayer, protectedAreasLayer, cellLayer, applyFactorLayers, factorLayers } from './layers.js';
export type { FactorSign, FactorLayerResult, RiskFactorLayer, PolygonLayerOptions, ProtectedAreasOptions, CellLayerOptions, AppliedLayers } from './layers.js';
export { WORLDCOVER_LEGEND, parseLegend, landCoverFractions, landCoverLayer } from './landcover.js';
export type { LandCoverClass, LandCoverOptions, LandCoverFractions } from './landcover.js';
export {
  FWI_STARTUP,
  dmcDayLength,
  dcDayLength,
  fineFuelMoistureCode,
  duffMoistureCode,
  droughtCode,
  initialSpreadIndex,
  buildupIndex,
  fireWeatherIndex,
  fwiSeries,
  readWeatherCsv,
  fireWeatherSeason,
  fireWeatherLayer,
} from './fireweather.js';
export type {
  FwiState,
  FwiWeatherDay,
  FwiSeriesOptions,
  FwiSeries,
  WeatherStation,
  WeatherCsvResult,
  FireWeatherSeasonOptions,
  FireWeatherSeason,
  FireWeatherLayerOptions,
} from './fireweather.js';
