/**
 * hazetrace/report: the war-room report as a library. {@link buildReportModel} turns library results
 * into a plain model; {@link renderReport} turns the model into one offline HTML file, in English or
 * Thai, at any UTC offset. Browser-safe: the CLI only writes the string.
 */
export type { ReportFeature, ReportFeatureCollection, ReportShare, ReportSource, ReportTrajectory, ReportEpisode, ReportDistrict, ReportModel } from './model.js';
export { renderReport, CPF_MIN_HOURS, type RenderReportOptions } from './render.js';
export { buildReportModel, exampleReportModel, reportTrajectories, type ReportInputs, type ReportTrajectoryOptions } from './build.js';
export { reportWords, humanLabel, localClock, formatNumber, formatPercent, REPORT_LANGS, COUNTRY_NAMES_EN, type ReportLang, type ReportWords, type LocalClock } from './i18n.js';
export { clusterSectionHtml, clusterReportHtml, type ClusterReportInput } from './cluster-section.js';
