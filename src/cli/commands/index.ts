/** The subcommands, in the order `hazetrace --help` lists them. */
import type { CommandSpec } from '../context.js';
import { attributeCommand } from './attribute.js';
import { batchCommand } from './batch.js';
import { benchCommand } from './bench.js';
import { clusterCommand } from './cluster.js';
import { demoCommand } from './demo.js';
import { forecastCommand } from './forecast.js';
import { gridCommand } from './grid.js';
import { riskCommand } from './risk.js';
import { serveCommand } from './serve.js';
import { simCommand } from './sim.js';
import { traceCommand } from './trace.js';

export const COMMANDS: CommandSpec[] = [demoCommand, gridCommand, traceCommand, attributeCommand, clusterCommand, riskCommand, simCommand, benchCommand, serveCommand, batchCommand, forecastCommand];
