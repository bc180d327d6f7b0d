#!/usr/bin/env node
// The `hazetrace` command (package `bin`). All logic lives in run.ts so tests can drive it in-process.
import { run } from './run.js';

const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, process.cwd());
// Let stdout drain before exiting so large --json output is never cut off in a pipe.
process.exitCode = code;
