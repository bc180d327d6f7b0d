/** The subcommands, in the order `hazetrace --help` lists them. */
import type { CommandSpec } from '../context.js';
import { attributeCommand } from './attribute.js';
import { benchCommand } from './bench.js';
import { demoCommand } from './demo.js';

export const COMMANDS: CommandSpec[] = [demoCommand, attributeCommand, benchCommand];
