#!/usr/bin/env node
// The `hazetrace` command (package `bin`). All logic lives in run.ts so tests can drive it in-process.
import { run } from './run.js';
import { removeTempFiles } from './out.js';

// Ctrl-C / kill: delete the output files still being written (their final names never appear), then exit
// with the conventional 128 + signal number. Files already renamed into place are complete.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    const n = removeTempFiles();
    process.stderr.write(`\nhazetrace: interrupted (${signal})${n ? `; removed ${n} incomplete output file(s)` : ''}\n`);
    process.exit(code);
  });
}
process.once('exit', () => removeTempFiles());

const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, process.cwd());
// Let stdout drain before exiting so large --json output is never cut off in a pipe.
process.exitCode = code;
