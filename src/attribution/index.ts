/**
 * hazetrace/attribution: from each PM2.5 peak back to the fires, repeat-burn areas, facilities and
 * countries that caused it (DESIGN §4): episodes, source layers with region/area tagging, kernel attribution
 * with the classic baseline beside it, PSCF/CWT/SQTBA, CPF, NNLS regression apportionment and calibration.
 */
export { detectEpisodes } from './episodes.js';
export type { Episode, EpisodeOptions, EpisodeSet, PlainSeries, SeriesTimeBasis, SeriesWithBasis } from './episodes.js';
export {
  polygonIndex,
  hotspotSources,
  repeatBurnAreas,
  repeatBurnAreasFromScars,
  areaSources,
  facilitySources,
  reportSources,
  mergeSources,
  countBy,
  DEFAULT_FUEL_FACTORS,
} from './sources.js';
export type {
  SourceLayer,
  GeoJsonLike,
  PointTagger,
  TagOptions,
  PolygonIndex,
  HotspotSourceOptions,
  RepeatBurnAreas,
  RepeatBurnOptions,
  RepeatBurnScarOptions,
  AreaSourceOptions,
  FacilitySourceOptions,
  FacilitySourceResult,
  ReportSourceOptions,
} from './sources.js';
export { attribute, ATTRIBUTE_DEFAULTS, defaultScale, sourcesToGeoJson, trajectoriesGeoJson, categoryExposures, subsetTrajectories } from './attribute.js';
export type {
  KernelOptions,
  KernelShape,
  AttributeOptions,
  BandedShare,
  SourceEvidence,
  RankedSource,
  BaselineResult,
  EpisodeAttribution,
  AttributionResult,
  CategoryExposures,
} from './attribute.js';
export { calibrateScales } from './calibrate.js';
export type { CalibrateOptions, CalibrationResult } from './calibrate.js';
export { nnls, apportion } from './nnls.js';
export type { NnlsResult, ApportionOptions, ApportionTerm, ApportionResult } from './nnls.js';
export { cpf } from './cpf.js';
export type { CpfOptions, CpfBin, CpfResult } from './cpf.js';
export { pscf, cwt, sqtba } from './trajstats.js';
export type { TrajGrid, CountWeighting, TrajPoints, TrajCell, TrajStatResult, TrajStatOptions, PscfOptions, SqtbaPoints, SqtbaOptions } from './trajstats.js';
export { trajStatToGeoJson } from './geojson.js';
