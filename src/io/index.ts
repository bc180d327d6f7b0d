// Public surface of hazetrace/io. Filled in by its issue; exports nothing that does not work.
export {};
