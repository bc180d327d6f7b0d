/**
 * What the HTML report shows, as plain data. The demo (and any caller) fills this in from library
 * results; `renderReport` turns it into one self-contained HTML file. Keeping the model plain means
 * the report can be regenerated from the JSON the demo writes, and tested without running the chain.
 */

export interface GeoFeature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}
export interface GeoCollection {
  type: 'FeatureCollection';
  features: GeoFeature[];
}

/** One bar with its uncertainty interval (all as fractions 0..1). */
export interface ShareBar {
  key: string;
  label: string;
  share: number;
  lo: number;
  hi: number;
}

export interface ReportModel {
  title: string;
  subtitle: string;
  generatedAt: string;
  /** Map extent [minLng, minLat, maxLng, maxLat]. */
  bbox: [number, number, number, number];
  keyFacts: { label: string; value: string; note?: string }[];
  outlines: { countries: GeoCollection; provinces?: GeoCollection };
  /** Hotspot-density hexagons. */
  densityHex: { res: number; label: string; cells: { h3: string; value: number }[] };
  /** Risk hexagons (score 0..100, level name). */
  riskHex?: { res: number; cells: { h3: string; score: number; level: string }[] };
  trajectories: { id: string; receptor: string; coords: [number, number][] }[];
  sources: { id: string; kind: string; category: string; region: string; lng: number; lat: number; share: number; label?: string }[];
  stations: { id: string; name: string; lng: number; lat: number; inEpisode: boolean }[];
  /** PM2.5 series per station (time UTC ms, value µg/m³). */
  series: { station: string; points: [number, number][] }[];
  seriesLabel: string;
  threshold: number;
  episodes: {
    station: string;
    start: number;
    end: number;
    peakTime: number;
    peakValue: number;
    topCategory?: string;
    topRegion?: string;
  }[];
  sharesByCategory: ShareBar[];
  sharesByRegion: ShareBar[];
  districts: { rank: number; name: string; province: string; score: number; level: string; note: string }[];
  cpf?: {
    station: string;
    threshold: number;
    /** Bins of wind direction (from, degrees) × speed (m/s) with the conditional probability p (NaN = no samples). */
    bins: { dirFrom: number; dirTo: number; speedFrom: number; speedTo: number; p: number; n: number }[];
  };
  methods: string[];
  caveats: string[];
  files: string[];
}
