// Public surface of hazetrace/risk. Filled in by its issue; exports nothing that does not work.
export {};
