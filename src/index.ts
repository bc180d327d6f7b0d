/**
 * hazetrace: trace PM2.5 back to fires, repeat-burn areas, facilities and countries on H3 cells.
 * The root export re-exports core; the modules live at `hazetrace/io`, `/grid`, `/wind`,
 * `/attribution`, `/risk`, `/sim`, `/node`.
 */
export * from './core/index.js';
