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
// The reader of stdout went away (`hazetrace … | head`): stop quietly, as a Unix tool stopped by SIGPIPE does
// (exit 128 + 13), instead of an unhandled 'error' event with a stack trace. Incomplete outputs are removed on exit.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(141);
  throw e;
});

const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, process.cwd());
// Let stdout drain before exiting so large --json output is never cut off in a pipe.
process.exitCode = code;
