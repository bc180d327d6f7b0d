// Public surface of hazetrace/sim. Filled in by its issue; exports nothing that does not work.
export {};
