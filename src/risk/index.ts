/**
 * hazetrace/risk: area risk scoring (DESIGN §4 Risk, issue 7) — factors per H3 cell,
 * normalisation, the weighted 0–100 score with per-factor contributions, calibration against
 * later burning (logistic regression, AUC with bootstrap intervals), roll-up to any polygon
 * layer, and GeoJSON / CSV / JSON outputs.
 */
export { normaliseFactor, midRanks, sortOrder } from './normalise.js';
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
  CalibrateOptions,
  HoldoutEvaluation,
  CalibrationResult,
  HistoryPeriodsOptions,
} from './calibrate.js';
export {
  hotspotHistoryFactors,
  burntCells,
  landUseFactors,
  facilityFactors,
  downwindExposure,
  firesDownwindExposure,
  alignColumn,
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
  RiskFactorSet,
} from './factors.js';
export { rollupCells, rollupRisk, riskToGeoJson } from './areas.js';
export type { RollupOptions, AreaStats, AreaRisk, AreaRiskTable, RollupRiskOptions, RiskGeoJsonOptions } from './areas.js';
