// Public surface of hazetrace/grid. Filled in by its issue; exports nothing that does not work.
export {};
