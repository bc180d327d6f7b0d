/** `hazetrace cluster`: group back-trajectories into transport pathways and, with a PM2.5 series, summarise each. */
import { clusterAssignmentToCsv, clusterStatistics, clusterStatisticsToCsv, clustersToGeoJson, clusterTrajectories, pollutedDifference, significanceToGeoJson, suggestK, type ClusterDistance, type ClusterStatistics, type DifferenceSignificance } from '../../attribution/index.js';
import { clusterReportHtml } from '../../report/index.js';
import { readTrajectories } from '../../wind/index.js';
import type { CommandSpec } from '../context.js';
import { usageError, withInput } from '../errors.js';
import { loadPolygons, loadSeries } from '../inputs.js';
import { OutDir, numberOption, optionalOption, readText, requireOption } from '../options.js';

const DISTANCES: readonly ClusterDistance[] = ['euclid', 'angle', 'euclid-openair', 'angle-openair'];

export const clusterCommand: CommandSpec = {
  name: 'cluster',
  summary: 'cluster back-trajectories into transport pathways (openair / HYSPLIT style), with PM2.5 per cluster',
  usage: 'hazetrace cluster --trajectories FILE (--k N | --k-auto) [--distance euclid] [--algorithm pam] [--pm25 SERIES.csv [--receptor ID] [--permutations N --q Q]] [--outlines GEOJSON] [--out DIR] [--json]',
  details:
    'Reads trajectories — a HYSPLIT endpoints file (tdump) or the trajectories.csv / trajectories.geojson that\n' +
    '`hazetrace trace --out DIR` writes, told apart by content — and clusters the\n' +
    'trajectories with the library\'s clusterTrajectories: PAM (k-medoids, as openair trajCluster), CLARA for many\n' +
    'trajectories, or HYSPLIT-style merging by total spatial variance (--algorithm hysplit; --k-auto picks k from the\n' +
    'change in TSV). --distance euclid-openair / angle-openair reproduce openair exactly (including its quirk of\n' +
    'scaling latitude differences by the cosine of the longitude); euclid / angle are the great-circle versions.\n' +
    'With --pm25 each trajectory is joined to the observation at its receptor and start time and each cluster gets the\n' +
    'mean, p10/p50/p90 and share above --threshold; the polluted trajectories (above --threshold) are mapped against\n' +
    'all with a permutation test (pollutedDifference: --permutations, --q FDR level, --seed). Files in --out:\n' +
    'clusters.geojson (mean paths), cluster_assignment.csv, cluster_report.html (map with % labels, box plots per\n' +
    'cluster, TSV curve; --outlines adds a background layer), and with --pm25 cluster_statistics.csv and\n' +
    'difference.geojson (cells with value, p, q, significant).',
  options: {
    trajectories: { type: 'string', help: 'trajectories: HYSPLIT tdump, or hazetrace trajectories.csv / trajectories.geojson' },
    k: { type: 'string', help: 'number of clusters' },
    'k-auto': { type: 'boolean', default: false, help: 'pick k with the HYSPLIT change-in-TSV rule (implies --algorithm hysplit)' },
    distance: { type: 'string', default: 'euclid', help: 'euclid, angle, euclid-openair or angle-openair' },
    algorithm: { type: 'string', default: 'pam', help: 'pam, clara (large n) or hysplit' },
    pm25: { type: 'string', help: 'PM2.5 series CSV (long format) to summarise per cluster' },
    receptor: { type: 'string', help: 'station id of the trajectories\' receptor for the --pm25 join (replaces the names in the file, e.g. "start" from trace --start)' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'UTC offset of the local times in --pm25' },
    threshold: { type: 'string', default: '37.5', help: 'PM2.5 above which an hour counts as polluted, µg/m³' },
    seed: { type: 'string', default: '1', help: 'seed of CLARA\'s samples and of the permutations' },
    permutations: { type: 'string', default: '999', help: 'permutations of the polluted-vs-all difference test (with --pm25)' },
    q: { type: 'string', default: '0.05', help: 'false-discovery-rate level of the significant cells' },
    outlines: { type: 'string', help: 'GeoJSON polygons drawn under the cluster map (e.g. countries)' },
  },
  examples: ['hazetrace cluster --trajectories out/trace/tdump.txt --k 4 --pm25 pm25.csv --out out/clusters'],
  async run(ctx) {
    const v = ctx.values;
    const path = requireOption(v, 'trajectories', 'trajectory tdump file');
    const kAuto = v['k-auto'] === true;
    const kArg = optionalOption(v, 'k');
    if (!kAuto && kArg === undefined) throw usageError('give --k N or --k-auto', '--k', 'e.g. --k 4');
    const distance = String(v['distance'] ?? 'euclid') as ClusterDistance;
    if (!DISTANCES.includes(distance)) throw usageError(`--distance must be one of ${DISTANCES.join(', ')}, got ${JSON.stringify(distance)}`, '--distance');
    const algorithm = kAuto ? 'hysplit' : String(v['algorithm'] ?? 'pam');
    if (!['pam', 'clara', 'hysplit'].includes(algorithm)) throw usageError(`--algorithm must be pam, clara or hysplit, got ${JSON.stringify(algorithm)}`, '--algorithm');
    const k = kAuto ? 'auto' : numberOption(v, 'k', 4, { integer: true, min: 1, max: 100 });
    const threshold = numberOption(v, 'threshold', 37.5, { min: 0 });
    const seed = numberOption(v, 'seed', 1, { integer: true });
    const text = readText('trajectories', path, ctx.cwd);
    const set = await withInput(`--trajectories ${path}`, () => readTrajectories(text), 'give a HYSPLIT tdump file or the trajectories.csv / trajectories.geojson hazetrace trace writes');
    const permutations = numberOption(v, 'permutations', 999, { integer: true, min: 1, max: 1e6 });
    const q = numberOption(v, 'q', 0.05, { min: 1e-9, max: 1 });
    const receptor = optionalOption(v, 'receptor');
    if (receptor) for (let t = 0; t < set.length; t++) set.receptor[t] = receptor.toLowerCase();
    const result = await withInput(`--trajectories ${path}`, () =>
      clusterTrajectories(set, { k, distance, algorithm: algorithm as 'pam' | 'clara' | 'hysplit', seed }),
    );
    const pm25Path = optionalOption(v, 'pm25');
    let stats: ClusterStatistics | undefined;
    if (pm25Path) {
      if (!receptor && set.receptor.some((r) => !r)) throw usageError('the trajectories name no receptor: give --receptor ID to join them to --pm25', '--receptor', 'e.g. --receptor 35t');
      const { series, column } = await loadSeries('pm25', pm25Path, ctx.cwd, String(v['utc-offset'] ?? '+07:00'));
      stats = clusterStatistics(set, result.assignment, { station: series.station, time: series.time, value: series.values[column] as Float64Array }, { threshold, k: result.k });
    }
    let difference: DifferenceSignificance | undefined;
    if (stats && stats.values.some(Number.isFinite)) difference = pollutedDifference(set, stats.values, { threshold, permutations, q, seed });
    const outlinesPath = optionalOption(v, 'outlines');
    const outlines = outlinesPath ? (await loadPolygons('outlines', outlinesPath, ctx.cwd)).fc : undefined;
    const out = new OutDir(v, ctx.cwd);
    out.write('clusters.geojson', () => JSON.stringify(clustersToGeoJson(result, stats)));
    out.write('cluster_assignment.csv', () => clusterAssignmentToCsv(set, result, stats));
    if (stats) out.write('cluster_statistics.csv', () => clusterStatisticsToCsv(stats));
    if (difference) out.write('difference.geojson', () => JSON.stringify(significanceToGeoJson(difference)));
    if (out.dir !== undefined) out.write('cluster_report.html', () => clusterReportHtml({ result, ...(stats ? { statistics: stats } : {}), ...(difference ? { difference } : {}), ...(outlines ? { outlines } : {}) }));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify({ format: set.format, rejected: set.rejected, ...(result.toJSON() as object), ...(stats ? { statistics: stats.toJSON() } : {}), ...(difference ? { difference: { nSubset: difference.nSubset, nAll: difference.nAll, cells: difference.cells.length, flagged: difference.flagged, q: difference.q, permutations: difference.permutations } } : {}) }) + '\n');
      return;
    }
    const lines = [
      `${set.length} trajectories read (${set.format}${set.rejected.length ? `; ${set.rejected.length} rows rejected, first: row ${set.rejected[0]!.row} ${set.rejected[0]!.message}` : ''}), ${result.dropped.length} left out for their length; ${result.k} clusters (${algorithm}, ${distance})${result.tsv ? `; TSV rule suggests k = ${suggestK(result.tsv)}` : ''}`,
      ...result.size.map((n, c) => {
        const s = stats?.clusters[c];
        return `  cluster ${c}: ${n} (${result.percent[c]?.toFixed(1)} %)${s && !s.matched ? '  no PM2.5 observation at these start times' : s ? `  PM2.5 mean ${s.mean.toFixed(1)}, p50 ${s.p50.toFixed(1)}, ${(100 * s.aboveShare).toFixed(0)} % above ${threshold} (${s.matched} with an observation)` : ''}`;
      }),
    ];
    if (difference) lines.push(`  polluted (> ${threshold}) vs all: ${difference.nSubset} of ${difference.nAll} trajectories; ${difference.flagged} of ${difference.cells.length} cells significant at q = ${q} (${permutations} permutations)`);
    if (out.written.length) lines.push('', `wrote ${out.written.length} files to ${out.dir}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
