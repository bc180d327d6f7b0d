/**
 * Options and result types of {@link attribute} (kernel options are in ./defaults.ts).
 */
import type { SourceKind, Stations, TrajectorySet, WindField } from '../core/index.js';
import type { EnsembleOptions } from '../wind/index.js';
import type { KernelOptions } from './defaults.js';
import type { ContactOptions, ContactProvenance, ContactWeighting } from './contact.js';
import type { Episode } from './episodes.js';
import type { EpisodeScoreCache } from './scoring.js';

/** Options for {@link attribute}. */
export interface AttributeOptions extends KernelOptions {
  /** Trajectories the caller already has (e.g. from `readTdump`), matched to episodes by receptor and start time. */
  trajectories?: TrajectorySet;
  /** A wind field: `attribute` back-traces ensembles itself (src/wind `traceEnsemble`). */
  wind?: WindField;
  /** Receptor coordinates by station id (lower case), needed with `wind`: `{ '35t': [98.97, 18.84] }` or a Stations table. */
  receptors?: Record<string, readonly [number, number]> | Stations;
  /**
   * Ensemble settings for `wind` (src/wind `EnsembleOptions` without `hours`); default HYSPLIT's 9-member offset
   * ensemble reading the wind `offsetDeg` = 1° away (see {@link ATTRIBUTE_DEFAULTS}).
   */
  ensemble?: Omit<EnsembleOptions, 'hours'>;
  /**
   * With `wind`: a store of traced ensembles, one entry per trajectory start, keyed by receptor, its coordinates, the
   * start time, `hours` and the ensemble settings (not by the wind: whoever owns the store empties it when the wind
   * changes). Entries found are used as they are, so a re-run on other sources skips the tracing. Default none.
   */
  trajectoryCache?: { get(key: string): TrajectorySet | undefined; set(key: string, set: TrajectorySet): void };
  /**
   * With `wind` (index method, no contact weights): per-episode row scores kept across runs (an
   * {@link EpisodeScoreCache}, e.g. `TrajectoryStore.scores` of hazetrace/node), so a run after a FIRMS batch scores
   * only the new detections and restores the rest — bit-identical to scoring every row. Default none.
   */
  scoreCache?: EpisodeScoreCache;
  /** Hours between back-trajectory starts through an episode (from its start, before its exclusive end), default 1. */
  startStepHours?: number;
  /** Ranked sources kept per episode, default 100 (shares always use all). */
  maxSources?: number;
  /** Quantiles of the per-member shares reported as the band, default [0.1, 0.9]. */
  band?: [number, number];
  /** Classic baseline: radius km (default 50) and trajectory hours (default 72). */
  baseline?: { radiusKm?: number; hours?: number };
  /** Region counted as domestic for the cross-border share (e.g. `'THA'`). */
  domesticRegion?: string;
  /**
   * Weight each trajectory point by its contact with surface smoke and the rain-out since (./contact.ts): `'mixed-layer'`
   * applies when the trajectories are 3-D (`traceTrajectories3d`), `'none'` (default) never; the result's `contact` says
   * what was applied and why.
   */
  contact?: ContactWeighting;
  /** Settings of the contact weights (`aboveScaleM`, `scavengingPerMm`); defaults `CONTACT_DEFAULTS`. */
  contactOptions?: ContactOptions;
}

/** A share with its ensemble band. */
export interface BandedShare {
  share: number;
  /** Band quantiles of the per-member shares (default 10 % and 90 %). */
  low: number;
  high: number;
  min: number;
  max: number;
}

/** Evidence behind a source's score. */
export interface SourceEvidence {
  /** Closest approach of any trajectory point (age ≤ hours) to the source, km. */
  closestKm: number;
  /** Age of that point, hours. */
  ageAtClosestHours: number;
  /** Ensemble members that gave it a non-zero score. */
  members: number;
}

/** One ranked source in an episode. */
export interface RankedSource {
  id: string;
  kind: SourceKind;
  category: string;
  region: string;
  score: number;
  share: number;
  /** Representative position (the source itself, or an area's first representative point). */
  lng: number;
  lat: number;
  time: number;
  evidence: SourceEvidence;
}

/** The classic baseline: hotspots within R km of the back-trajectory within H hours. */
export interface BaselineResult {
  radiusKm: number;
  hours: number;
  count: number;
  byCategory: Record<string, number>;
  byRegion: Record<string, number>;
  sharesByCategory: Record<string, number>;
  sharesByRegion: Record<string, number>;
}

/** Attribution of one episode. */
export interface EpisodeAttribution {
  episode: Episode;
  receptor: readonly [number, number] | null;
  /** Trajectories used and distinct ensemble members. */
  trajectoryCount: number;
  members: number;
  totalScore: number;
  /** Sources with a non-zero score. */
  sourceCount: number;
  sources: RankedSource[];
  sharesByCategory: Record<string, BandedShare>;
  sharesByRegion: Record<string, BandedShare>;
  /** Shares by further region levels (e.g. province). */
  sharesByRegionLevel: Record<string, Record<string, BandedShare>>;
  /**
   * Per-member scores by category and region: `scores[(m * categories.length + c) * regions.length + r]` for member
   * slot m (0 ≤ m < `members`), category `categories[c]` and region `regions[r]`; in score units, i.e. scaled by the
   * scales in use (`AttributionResult.scales`). `categories` and `regions` list every value in the source layer,
   * scored or not. Summed over regions and members and divided by the grand sum this gives `sharesByCategory`'s
   * shares (over categories: `sharesByRegion`'s); with other category scales, multiply each category's scores by
   * new/old scale and renormalise. Left out of `toJSON()`.
   */
  memberScores: { categories: string[]; regions: string[]; members: number; scores: Float64Array };
  /** Share outside `domesticRegion` when given. */
  crossBorder?: BandedShare;
  baseline: BaselineResult;
  /** The trajectories used (for GeoJSON output). */
  trajectories: TrajectorySet;
  warnings: string[];
}

/** Result of {@link attribute}. */
export interface AttributionResult {
  episodes: EpisodeAttribution[];
  /** Scale used per category. */
  scales: Record<string, number>;
  settings: Required<Pick<KernelOptions, 'hours' | 'sigma0Km' | 'sigmaKmPerHour' | 'cutoffSigmas' | 'timeSigmaHours' | 'timeCutoffSigmas' | 'detectionWindow' | 'kernelShape'>>;
  warnings: string[];
  /** Contact weighting applied (`options.contact`) and why. */
  contact?: ContactProvenance;
  toJSON(): object;
}
