/**
 * What the war-room report shows, as plain JSON-able data: times in UTC milliseconds, positions in
 * WGS84 lng/lat, shares as fractions 0..1, codes (category, region, factor, level) left as codes. The
 * renderer ({@link renderReport}) turns codes into words, UTC into local time and picks the language,
 * so one model renders in Thai or English and at any UTC offset.
 */

/** A GeoJSON feature as the report needs it (any properties). */
export interface ReportFeature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}
/** A GeoJSON feature collection. */
export interface ReportFeatureCollection {
  type: 'FeatureCollection';
  features: ReportFeature[];
}

/** A share with its uncertainty band (fractions 0..1); `key` is the category or region code. */
export interface ReportShare {
  key: string;
  share: number;
  lo: number;
  hi: number;
}

/** One source drawn on the map, with its share of the selected episode (or of all episodes pooled). */
export interface ReportSource {
  id: string;
  /** 'hotspot' | 'facility' | 'area' | … */
  kind: string;
  category: string;
  /** Country code (ISO 3166 alpha-3) or 'unknown'. */
  region: string;
  lng: number;
  lat: number;
  share: number;
  /** Facility or area name when there is one. */
  name?: string;
}

/** One start time of an episode's back-trajectories: the ensemble mean, its spread and (optionally) the members. */
export interface ReportTrajectory {
  /** Start (arrival at the station), UTC ms. */
  start: number;
  /** Ensemble-mean path, newest point first: [lng, lat, time UTC ms]. */
  mean: [number, number, number][];
  /** Spread of the members around the mean at each mean point, km (RMS distance). */
  spreadKm: number[];
  /** Member paths as [lng, lat] (same time steps as `mean`), when embedded. */
  members?: [number, number][][];
}

/** One PM2.5 episode at one station. */
export interface ReportEpisode {
  id: string;
  station: string;
  /** UTC ms; `end` exclusive. */
  start: number;
  end: number;
  peakTime: number;
  /** µg/m³. */
  peakValue: number;
  /** 'attributed', or why not (the pipeline's status code). */
  status: string;
  reason?: string;
  byCategory: ReportShare[];
  byRegion: ReportShare[];
  /** Largest sources of this episode. */
  sources: ReportSource[];
  trajectories: ReportTrajectory[];
}

/** One row of the district risk table. */
export interface ReportDistrict {
  rank: number;
  id: string;
  name: string;
  nameTh?: string;
  province: string;
  provinceTh?: string;
  /** 0..100. */
  score: number;
  /** Mean chance (0–1) that a cell of the district burns next season, when the risk model gave one (districts are then ranked by expected burning cells). */
  probability?: number;
  level: string;
  /** Largest factor contributions, score points. */
  factors: { factor: string; points: number }[];
  /** Plain-language reason from the risk module, when it provides one (English). */
  explanation?: string;
}

/** The whole report. */
export interface ReportModel {
  /** Place of the case in both languages, e.g. { en: 'Northern Thailand', th: 'ภาคเหนือ' }. */
  place: { en: string; th: string };
  /** First and last local day of the case (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
  /**
   * When the model was built, UTC ms, or `null` (the default of {@link buildReportModel}): the page then prints no
   * build time, so the same inputs give the same bytes.
   */
  generatedAt: number | null;
  /** Map extent [minLng, minLat, maxLng, maxLat]. */
  bbox: [number, number, number, number];
  facts: {
    episodes: number;
    threshold: number;
    fires: number;
    densityCells: number;
    densityRes: number;
    fireShare: number;
    crossBorder: number;
    topDistrict?: { name: string; nameTh?: string; score: number; probability?: number };
    powerPlants: number;
  };
  basemap: {
    countries: ReportFeatureCollection;
    provinces?: ReportFeatureCollection;
    districts?: ReportFeatureCollection;
    /** Property names holding the English / Thai names. */
    provinceName?: { en: string; th?: string };
    districtName?: { en: string; th?: string };
    /** Town markers (real coordinates only). */
    towns: { en: string; th: string; lng: number; lat: number }[];
    /** Country names in Thai by code (English names come from the features' `name`). */
    countryTh?: Record<string, string>;
  };
  /** Hotspot density per H3 cell: detections and FRP sum (MW). */
  density: { res: number; cells: { h3: string; count: number; frp: number }[] };
  /** The fire detections of the case (for the time slider): lng, lat, time UTC ms, FRP MW. */
  fires: [number, number, number, number][];
  /** Risk per H3 cell (0..100), optional. */
  risk?: { res: number; cells: { h3: string; score: number; level: string; top: string; explanation?: string }[] };
  stations: { id: string; name: string; nameTh?: string; lng: number; lat: number }[];
  /** Daily/hourly PM2.5 per station (time UTC ms of the middle of the interval, µg/m³). */
  series: { station: string; points: [number, number][] }[];
  seriesNote: { en: string; th: string };
  /** Pooled over attributed episodes (peak-weighted). */
  pooled: { byCategory: ReportShare[]; byRegion: ReportShare[]; sources: ReportSource[] };
  episodes: ReportEpisode[];
  districts: ReportDistrict[];
  cpf?: {
    station: string;
    period: { en: string; th: string };
    /** µg/m³. */
    threshold: number;
    /** Bins with fewer hours than this are not drawn. */
    minHours: number;
    bins: { dirFrom: number; dirTo: number; speedFrom: number; speedTo: number; p: number; n: number }[];
  };
  /** Methods and caveats, English (Thai optional, else the English is shown with a note). */
  methods: { en: string[]; th?: string[] };
  caveats: { en: string[]; th?: string[] };
  /** Files behind the page: layer/table key → relative file name written next to the report. */
  downloads: { key: string; file: string }[];
}
