// PLACEHOLDER — Erlang and Elixir stack traces. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const erlangParser: TraceParser = { name: 'erlang', trigger: /^(?!)/, begin: () => null };

export const elixirParser: TraceParser = { name: 'elixir', trigger: /^(?!)/, begin: () => null };
