#!/usr/bin/env node
// The `hazetrace` command. Subcommands are added by the CLI issue.
console.error('hazetrace: the CLI is not built yet');
process.exit(2);
