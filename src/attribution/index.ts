// Public surface of hazetrace/attribution. Filled in by its issue; exports nothing that does not work.
export {};
