/**
 * JSON helpers for the test side (emulator, spec validator). The emulator is built from the
 * documentation, never from node code, so it does not import nodes/common/json.ts.
 */
export type Json = Record<string, unknown>;

/** A plain JSON object: not null, not an array. */
export const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
