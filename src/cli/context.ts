/** What a subcommand gets: its parsed arguments, output streams and a progress reporter. */
import { Progress } from './progress.js';

export interface CliStreams {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

export interface CommandContext {
  /** Values of the options, after defaults. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  streams: CliStreams;
  /** Print machine-readable JSON on stdout instead of the human summary. */
  json: boolean;
  /** Progress on stderr, only when both stdout and stderr are terminals and --json is off. */
  progress: Progress;
  /** Working directory for relative paths. */
  cwd: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** Option definitions for node:util parseArgs, plus help text per option. */
  options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean; help: string; multiple?: false }>;
  examples: string[];
  /** Whether bare arguments (not options) are accepted; default false, so a stray word is a usage error. */
  positionals?: boolean;
  details?: string;
  run(ctx: CommandContext): Promise<void>;
}
