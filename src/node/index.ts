// Public surface of hazetrace/node. Filled in by its issue; exports nothing that does not work.
export {};
