// Recorded values from parsed JSON (a log record's fields, a profile event's args) as session variables,
// bounded: a hostile record cannot make one event unbounded in depth, width or length.

import type { SessionVariable } from '../format';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const MAX_DEPTH = 8;
const MAX_CHILDREN = 200;
const MAX_STRING = 65536;
/** Variables in one record, all levels together. */
const MAX_TOTAL = 2000;

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string): string {
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}… (${s.length} characters)` : s;
}

/** Converts one level at a time, counting against a shared budget. */
class Converter {
  private left = MAX_TOTAL;

  variable(name: string, value: Json, depth: number): SessionVariable {
    this.left--;
    if (Array.isArray(value)) return this.container(name, value, `array[${value.length}]`, depth, true);
    if (isObject(value)) {
      const keys = Object.keys(value);
      return this.container(
        name,
        value,
        `{${keys.length} field${keys.length === 1 ? '' : 's'}}`,
        depth,
        false,
      );
    }
    if (value === null) return { name, value: 'null', type: 'null' };
    return { name, value: clip(String(value)), type: typeof value };
  }

  list(entries: [string, Json][], depth: number, total = entries.length): SessionVariable[] {
    const out: SessionVariable[] = [];
    for (const [k, v] of entries) {
      if (out.length >= MAX_CHILDREN || this.left <= 0) {
        out.push({ name: '…', value: `${total - out.length} more not recorded` });
        break;
      }
      out.push(this.variable(k, v, depth));
    }
    return out;
  }

  private container(
    name: string,
    value: Json[] | JsonObject,
    summary: string,
    depth: number,
    array: boolean,
  ) {
    const v: SessionVariable = { name, value: summary, type: array ? 'array' : 'object' };
    if (depth >= MAX_DEPTH) return v;
    // Only as many entries as can be kept are taken from a huge array or object.
    const total = Array.isArray(value) ? value.length : Object.keys(value).length;
    const entries: [string, Json][] = Array.isArray(value)
      ? value.slice(0, MAX_CHILDREN + 1).map((x, i) => [String(i), x])
      : Object.keys(value)
          .slice(0, MAX_CHILDREN + 1)
          .map((k) => [k, value[k]!]);
    if (entries.length > 0) v.children = this.list(entries, depth + 1, total);
    return v;
  }
}

/** The fields of a JSON object as variables, nested objects and arrays as children. */
export function variablesOf(entries: [string, Json][]): SessionVariable[] {
  return new Converter().list(entries, 0);
}

/** A field value as one line of text (a thread name, a logger), or null when it is not a plain value. */
export function plainText(v: Json | undefined): string | null {
  if (typeof v === 'string') return v.length > 0 ? clip(v) : null;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}
