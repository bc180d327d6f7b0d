/** `hazetrace cluster`: group back-trajectories into transport pathways and, with a PM2.5 series, summarise each. */
import { clusterAssignmentToCsv, clusterStatistics, clusterStatisticsToCsv, clustersToGeoJson, clusterTrajectories, suggestK, type ClusterDistance, type ClusterStatistics } from '../../attribution/index.js';
import { readTdump } from '../../wind/index.js';
import type { CommandSpec } from '../context.js';
import { usageError, withInput } from '../errors.js';
import { loadSeries } from '../inputs.js';
import { OutDir, numberOption, optionalOption, readText, requireOption } from '../options.js';

const DISTANCES: readonly ClusterDistance[] = ['euclid', 'angle', 'euclid-openair', 'angle-openair'];

export const clusterCommand: CommandSpec = {
  name: 'cluster',
  summary: 'cluster back-trajectories into transport pathways (openair / HYSPLIT style), with PM2.5 per cluster',
  usage: 'hazetrace cluster --trajectories TDUMP (--k N | --k-auto) [--distance euclid] [--algorithm pam] [--pm25 SERIES.csv] [--out DIR] [--json]',
  details:
    'Reads a HYSPLIT trajectory endpoints file (tdump; `hazetrace trace --out DIR` writes one) and clusters the\n' +
    'trajectories with the library\'s clusterTrajectories: PAM (k-medoids, as openair trajCluster), CLARA for many\n' +
    'trajectories, or HYSPLIT-style merging by total spatial variance (--algorithm hysplit; --k-auto picks k from the\n' +
    'change in TSV). --distance euclid-openair / angle-openair reproduce openair exactly (including its quirk of\n' +
    'scaling latitude differences by the cosine of the longitude); euclid / angle are the great-circle versions.\n' +
    'With --pm25 each trajectory is joined to the observation at its receptor and start time and each cluster gets the\n' +
    'mean, p10/p50/p90 and share above --threshold. Files in --out: clusters.geojson (mean paths),\n' +
    'cluster_assignment.csv, cluster_statistics.csv (with --pm25).',
  options: {
    trajectories: { type: 'string', help: 'HYSPLIT tdump file of the trajectories' },
    k: { type: 'string', help: 'number of clusters' },
    'k-auto': { type: 'boolean', default: false, help: 'pick k with the HYSPLIT change-in-TSV rule (implies --algorithm hysplit)' },
    distance: { type: 'string', default: 'euclid', help: 'euclid, angle, euclid-openair or angle-openair' },
    algorithm: { type: 'string', default: 'pam', help: 'pam, clara (large n) or hysplit' },
    pm25: { type: 'string', help: 'PM2.5 series CSV (long format) to summarise per cluster' },
    receptor: { type: 'string', help: 'station id of trajectories the file does not name (e.g. traced from --start), for the --pm25 join' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'UTC offset of the local times in --pm25' },
    threshold: { type: 'string', default: '37.5', help: 'PM2.5 above which an hour counts as polluted, µg/m³' },
    seed: { type: 'string', default: '1', help: 'seed of CLARA\'s samples' },
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
    const set = await withInput(`--trajectories ${path}`, () => readTdump(text), 'give a HYSPLIT trajectory endpoints file (tdump)');
    const receptor = optionalOption(v, 'receptor');
    if (receptor) for (let t = 0; t < set.length; t++) if (!set.receptor[t]) set.receptor[t] = receptor.toLowerCase();
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
    const out = new OutDir(v, ctx.cwd);
    out.write('clusters.geojson', JSON.stringify(clustersToGeoJson(result, stats)));
    out.write('cluster_assignment.csv', clusterAssignmentToCsv(set, result, stats));
    if (stats) out.write('cluster_statistics.csv', clusterStatisticsToCsv(stats));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify({ ...(result.toJSON() as object), ...(stats ? { statistics: stats.toJSON() } : {}) }) + '\n');
      return;
    }
    const lines = [
      `${set.length} trajectories, ${result.dropped.length} left out for their length; ${result.k} clusters (${algorithm}, ${distance})${result.tsv ? `; TSV rule suggests k = ${suggestK(result.tsv)}` : ''}`,
      ...result.size.map((n, c) => {
        const s = stats?.clusters[c];
        return `  cluster ${c}: ${n} (${result.percent[c]?.toFixed(1)} %)${s ? `  PM2.5 mean ${s.mean.toFixed(1)}, p50 ${s.p50.toFixed(1)}, ${(100 * s.aboveShare).toFixed(0)} % above ${threshold} (${s.matched} with an observation)` : ''}`;
      }),
    ];
    if (out.written.length) lines.push('', `wrote ${out.written.length} files to ${out.dir}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
