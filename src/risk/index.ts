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
export type { ScoreAreasInputs, ScoreAreasOptions, ScoreAreasResult, ScoreAreasFacilities, WeightsSource } from './pipeline.js';
