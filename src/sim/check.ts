/**
 * Argument checks for the exported functions of hazetrace/sim (internal, not re-exported): each
 * confirms that a value has the shape of the sim object it claims to be (a scenario, a dispersion
 * result, observations, a twin setup …) so garbage gets `E_ARG` naming the argument, not a TypeError
 * from deep inside. Only the fields the functions read are checked, not every number in them.
 */
import { checkObject, checkShape } from '../core/check.js';
import type { DispersionResult } from './dispersion.js';
import type { Observations } from './observe.js';
import type { Scenario } from './scenario.js';
import type { TwinSetup } from './twin.js';
import type { WindArrays } from './windgen.js';

export function checkScenario(argument: string, value: unknown): Scenario {
  const sc = checkShape<Scenario>(argument, value, { config: 'object', sources: 'object', patches: 'array', monitors: 'array', wind: 'object' });
  checkShape(`${argument}.sources`, sc.sources, { length: 'number', id: 'array', kind: 'array', category: 'array', country: 'array', lng: 'arrayLike', lat: 'arrayLike' });
  checkShape(`${argument}.config`, sc.config, { observation: 'object', domain: 'array', wind: 'object', seed: 'number' });
  return sc;
}

export function checkDispersion(argument: string, value: unknown): DispersionResult {
  return checkShape<DispersionResult>(argument, value, { monitors: 'array', times: 'arrayLike', conc: 'arrayLike', contributions: 'array', emittedBySourceKg: 'arrayLike' });
}

export function checkObservations(argument: string, value: unknown): Observations {
  return checkShape<Observations>(argument, value, { hotspots: 'object', hotspotSource: 'arrayLike', stations: 'object', series: 'object', reportedRateKgH: 'arrayLike' });
}

export function checkWindArrays(argument: string, value: unknown): WindArrays {
  return checkShape<WindArrays>(argument, value, { west: 'number', south: 'number', dLng: 'number', dLat: 'number', nx: 'number', ny: 'number', times: 'arrayLike', u: 'arrayLike', v: 'arrayLike' });
}

export function checkSetup(argument: string, value: unknown): TwinSetup {
  const s = checkShape<TwinSetup>(argument, value, { scenario: 'object', dispersion: 'object', observations: 'object', perturbedWind: 'object', episodes: 'array', truths: 'array', layer: 'object', rowTruth: 'arrayLike', visible: 'arrayLike' });
  checkScenario(`${argument}.scenario`, s.scenario);
  checkDispersion(`${argument}.dispersion`, s.dispersion);
  checkObservations(`${argument}.observations`, s.observations);
  return s;
}

/** A twin export: file name → contents (string or bytes). */
export function checkFiles(argument: string, value: unknown): Record<string, string | Uint8Array> {
  return checkObject<Record<string, string | Uint8Array>>(argument, value);
}
