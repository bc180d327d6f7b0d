/** GRIB2 reading (browser-safe): see read.ts. */
export { readGrib2, type Grib2Message, type Grib2MessageInfo, type ReadGrib2Options, type Grib2ReadResult } from './read.js';
export type { Grib2Grid, Grib2Level } from './templates.js';
export type { Grib2Packing } from './packing.js';
export { aecDecode, type AecParams } from './aec.js';
