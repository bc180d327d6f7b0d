/**
 * hazetrace/attribution: from each PM2.5 peak back to the fires, repeat-burn areas, facilities and
 * countries that caused it (docs/attribution.md): episodes, source layers with region/area tagging, kernel attribution
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
export { attribute, subsetTrajectories } from './attribute.js';
export { ATTRIBUTE_DEFAULTS, defaultScale } from './defaults.js';
export type { KernelOptions, KernelShape } from './defaults.js';
export type { AttributeOptions, BandedShare, SourceEvidence, RankedSource, BaselineResult, EpisodeAttribution, AttributionResult } from './types.js';
export { sourcesToGeoJson } from './result-output.js';
export { categoryExposures } from './exposures.js';
export { EpisodeScoreCache } from './scoring.js';
export { contactWeights, hasContactColumns, resolveContact, CONTACT_DEFAULTS } from './contact.js';
export type { ContactOptions, ContactProvenance, ContactTrajectories, ContactWeighting, ContactWeights } from './contact.js';
export type { CategoryExposures } from './exposures.js';
export { calibrateScales } from './calibrate.js';
export type { CalibrateOptions, CalibrationResult } from './calibrate.js';
export { nnls, apportion } from './nnls.js';
export type { NnlsResult, ApportionOptions, ApportionTerm, ApportionResult } from './nnls.js';
export { cpf } from './cpf.js';
export type { CpfOptions, CpfBin, CpfResult } from './cpf.js';
export { pscf, cwt, sqtba } from './trajstats.js';
export type { TrajGrid, CountWeighting, TrajPoints, TrajCell, TrajStatResult, TrajStatOptions, PscfOptions, SqtbaPoints, SqtbaOptions } from './trajstats.js';
export { trajStatToGeoJson } from './geojson.js';
export { attributeSeries, calibrateSeries, seriesEpisodes, seasonHotspotLayer, sliceHotspotLayer, regionTagger, repeatBurnTagger, localDayWindow, REGION_SNAP_KM, UNSEEN_BURNING_CATEGORY } from './pipeline.js';
export type { AttributeSeriesInputs, AttributeSeriesOptions, SeriesAttribution, SeriesEpisode, SeriesSettings, EpisodeStatus, HotspotLayer } from './pipeline.js';
export { hotspotLayerToParquet, readHotspotLayerParquet, type HotspotLayerParquetResult } from './hotspot-layer-parquet.js';
export { hotspotCoverage, coveredFraction } from './coverage.js';
export type { EpisodeCoverage, HotspotCoverageOptions, Intervals } from './coverage.js';
export type { ScaleFit } from './series-calibration.js';
export { sharesToParquet, sourcesToParquet, episodeTrajectoriesToParquet, episodeTrajectoriesParquetStream, type TrajectoryParquetStream } from './parquet-output.js';
export { contractOf, groupWarnings, sharesToCsv, poolShares, poolCrossBorder, poolSources, pooledSourcesToGeoJson, ensembleMeanTrajectories, episodeTrajectoryFeatures, episodeTrajectoriesToGeoJson } from './series-output.js';
export type { AttributeContract, ContractEpisode, WarningGroup, PooledShare, PooledSource } from './series-output.js';
export { combinedBands, BAND_DEFAULTS } from './bands.js';
export type { BandOptions } from './bands.js';
export { clusterTrajectories, pam, suggestK, adjustedRandIndex, trajectoryDistances } from './cluster.js';
export type { ClusterOptions, ClusterResult, ClusterAlgorithm, ClusterDistance, LengthPolicy, PamResult, TrajectoryDistanceOptions } from './cluster.js';
export { trajectoryFrequency, differenceMap, trajMapToGeoJson } from './trajmaps.js';
export type { FrequencyStatistic, TrajectoryFrequencyOptions, FrequencyCell, FrequencyResult, DifferenceCell, DifferenceResult } from './trajmaps.js';
export { benjaminiHochberg, trajStatSignificance, differenceSignificance, pollutedDifference, significanceToGeoJson } from './significance.js';
export type { BhResult, PermutationOptions, PermutationSummary, SignificanceFields, TrajStatSignificanceOptions, TrajStatSignificance, DifferenceSignificanceOptions, DifferenceSignificance, PollutedDifferenceOptions } from './significance.js';
export { trajectoryConcentrations, clusterStatistics } from './clusterstats.js';
export type { ConcentrationSeries, ConcentrationJoinOptions, ClusterStatisticsOptions, ClusterStat, ClusterStatistics } from './clusterstats.js';
export { clustersToGeoJson, clusterAssignmentToCsv, clusterStatisticsToCsv } from './cluster-output.js';
export { forecastSmoke, forecastStationsToCsv, forecastCellsToGeoJson, FORECAST_DEFAULTS } from './forecast.js';
export type { ForecastInputs, ForecastOptions, ForecastResult, ForecastHorizon, StationForecast, StationHorizonForecast, ForecastCells, ForecastProvenance } from './forecast.js';
