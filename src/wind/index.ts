// Public surface of hazetrace/wind. Filled in by its issue; exports nothing that does not work.
export {};
