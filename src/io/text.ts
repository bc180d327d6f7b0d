/**
 * Turning reader input (a string or raw bytes) into text, refusing what is not text.
 * Browser-safe: only TextDecoder, no Node builtins.
 */
import { HazetraceError, showValue } from '../core/errors.js';

/** What every text reader accepts: already-decoded text or UTF-8 bytes (a Node Buffer is a Uint8Array). */
export type TextInput = string | Uint8Array;

/**
 * Decode reader input to a string.
 * - `Uint8Array`: must be UTF-8 without NUL bytes, else `E_BINARY` (a spreadsheet, zip or image handed to a
 *   CSV reader fails loudly instead of producing garbage rows). A UTF-8 byte-order mark is dropped.
 * - `string`: a leading U+FEFF (BOM) is dropped; a NUL character also gives `E_BINARY`.
 * - Nothing but whitespace: `E_EMPTY`.
 *
 * @example
 * ```ts
 * import { decodeText } from 'hazetrace/io';
 * decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0x62]), 'CSV'); // 'a,b' (BOM dropped)
 * try { decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]), 'CSV'); } catch (e) { (e as { code: string }).code; } // 'E_BINARY'
 * ```
 */
export function decodeText(input: TextInput, what: string): string {
  if (typeof what !== 'string') what = String(typeof what === 'symbol' ? 'input' : what);
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else if (input instanceof Uint8Array) {
    if (input.indexOf(0) !== -1) throw binaryError(what, 'contains NUL bytes');
    try {
      // fatal: invalid UTF-8 throws instead of turning into U+FFFD; the BOM is dropped by default.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw binaryError(what, 'is not valid UTF-8');
    }
  } else {
    throw new HazetraceError('E_ARG', `${what} input must be a string or a Uint8Array, got ${showValue(input)}`, {
      argument: 'input',
      value: input,
    });
  }
  if (text.indexOf('\0') !== -1) throw binaryError(what, 'contains NUL characters');
  if (text.trim() === '') throw new HazetraceError('E_EMPTY', `${what} input is empty`, { argument: 'input' });
  return text;
}

/**
 * Reader input that may be JSON text, JSON bytes or an already-parsed object: text and bytes are decoded with
 * {@link decodeText} and parsed (`E_JSON` naming `what` when they do not parse); anything else is returned as is
 * for the reader's own shape checks.
 */
export function parseJsonInput(input: unknown, what: string): unknown {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input;
  const text = decodeText(input, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HazetraceError('E_JSON', `${what} input is not valid JSON: ${(e as Error).message}`, { argument: 'input' });
  }
}

/** The `E_BINARY` error every text reader throws for bytes that are not UTF-8 text. */
export function binaryError(what: string, why: string): HazetraceError {
  return new HazetraceError('E_BINARY', `${what} input ${why}: this looks like a binary file, not UTF-8 text`, {
    argument: 'input',
  });
}
