// Profiles → a session in microseconds: Chrome Trace Event JSON (complete `X` events and `B`/`E` pairs become
// enter/exit events with the stack built from their nesting; `Profile`/`ProfileChunk` CPU samples and
// sampled `stackFrames` become sample events) and V8 `.cpuprofile` files (one sample event per sample, the
// stack from the node's parent chain). Trace documents are streamed; what is kept per event is small, and
// past the limits below the rest of a profile is left out with a warning.

import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';
import { detectEncoding } from '../../trace/decode';
import { InputError, openInput } from '../../trace/file';
import type { SessionEvent, SessionFrame, SessionThread } from '../format';
import { SESSION_FORMAT, SESSION_VERSION } from '../format';
import type { SessionWriter } from '../writer';
import { Progress, readBlock, readHeadText, totalSize, type ImportOptions, type Warnings } from './common';
import type { ImportSummary } from './dumps';
import { JsonEventSplitter } from './jsonStream';
import { isObject, plainText, variablesOf, type Json, type JsonObject } from './values';

/** Trace events kept from one import (each becomes an enter/exit pair or a sample). */
export const MAX_TRACE_EVENTS = 2_000_000;
/** Session events written from one import. */
export const MAX_EVENTS = 5_000_000;
/** A `.cpuprofile` is one JSON object, read whole: larger files are refused. */
export const MAX_CPUPROFILE_BYTES = 256 * 1024 * 1024;

const KIND_SAMPLE = 0;
const KIND_ENTER = 1;
const KIND_EXIT = 2;
const KINDS = ['sample', 'enter', 'exit'] as const;

/** Stacks as a tree of frames: an event keeps one node, its stack is the node's parent chain. */
class StackTree {
  private readonly parent: number[] = [];
  private readonly frames: SessionFrame[] = [];

  add(parent: number, frame: SessionFrame): number {
    this.parent.push(parent);
    this.frames.push(frame);
    return this.frames.length - 1;
  }

  /** Innermost first; -1 is the empty stack. */
  stack(node: number): SessionFrame[] {
    const out: SessionFrame[] = [];
    for (let n = node; n >= 0 && out.length < 10000; n = this.parent[n]!) out.push(this.frames[n]!);
    return out;
  }
}

/** The events to write, in compact columns, sorted by time when written. */
class Timeline {
  readonly tree = new StackTree();
  private t = new Float64Array(1024);
  private thread = new Uint32Array(1024);
  private kind = new Uint8Array(1024);
  private node = new Int32Array(1024);
  count = 0;
  dropped = 0;
  readonly threads: SessionThread[] = [];
  private readonly threadIndex = new Map<string, number>();

  threadOf(id: string, name?: string): number {
    let i = this.threadIndex.get(id);
    if (i === undefined) {
      i = this.threads.length;
      this.threads.push(name ? { id, name } : { id });
      this.threadIndex.set(id, i);
    } else if (name && !this.threads[i]!.name) {
      this.threads[i]!.name = name;
    }
    return i;
  }

  add(t: number, thread: number, kind: number, node: number): void {
    if (this.count >= MAX_EVENTS || !Number.isFinite(t)) {
      this.dropped++;
      return;
    }
    if (this.count === this.t.length) this.grow();
    this.t[this.count] = t;
    this.thread[this.count] = thread;
    this.kind[this.count] = kind;
    this.node[this.count] = node;
    this.count++;
  }

  /** Writes the events in time order (ties keep the order they were added in), t from the earliest. */
  async write(writer: SessionWriter, signal: AbortSignal | undefined): Promise<void> {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    order.sort((a, b) => this.t[a]! - this.t[b]! || a - b);
    const origin = this.count > 0 ? this.t[order[0]!]! : 0;
    for (let k = 0; k < order.length; k++) {
      if ((k & 0xffff) === 0) signal?.throwIfAborted();
      const i = order[k]!;
      const event: SessionEvent = {
        t: this.t[i]! - origin,
        thread: this.threads[this.thread[i]!]!.id,
        stack: this.tree.stack(this.node[i]!),
        kind: KINDS[this.kind[i]!],
      };
      await writer.event(event);
    }
  }

  private grow(): void {
    const n = this.t.length * 2;
    const t = new Float64Array(n);
    t.set(this.t);
    this.t = t;
    const th = new Uint32Array(n);
    th.set(this.thread);
    this.thread = th;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const no = new Int32Array(n);
    no.set(this.node);
    this.node = no;
  }
}

function number(v: Json | undefined): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** A V8 call frame (0-based line and column) as a session frame (1-based). */
function v8Frame(cf: JsonObject): SessionFrame {
  const fn = plainText(cf.functionName);
  const url = plainText(cf.url);
  const line = number(cf.lineNumber);
  const column = number(cf.columnNumber);
  const f: SessionFrame = {
    function: fn ?? '(anonymous)',
    file: url,
    line: line !== null && line >= 0 ? line + 1 : null,
  };
  if (column !== null && column >= 0) f.column = column + 1;
  return f;
}

/** One CPU profile's nodes (from `nodes` with children or parent ids) and its samples. */
class CpuProfile {
  private readonly parents = new Map<number, number>();
  private readonly callFrames = new Map<number, JsonObject>();
  private readonly treeNodes = new Map<number, number>();
  readonly samples: number[] = [];
  readonly deltas: number[] = [];

  addNodes(nodes: Json[]): void {
    for (const n of nodes) {
      if (!isObject(n)) continue;
      const id = number(n.id);
      if (id === null) continue;
      if (isObject(n.callFrame)) this.callFrames.set(id, n.callFrame);
      const parent = number(n.parent);
      if (parent !== null) this.parents.set(id, parent);
      if (Array.isArray(n.children))
        for (const c of n.children) if (typeof c === 'number') this.parents.set(c, id);
    }
  }

  /** The stack-tree node for a profile node (created on first use, its parents first). */
  nodeOf(tree: StackTree, id: number, depth = 0): number {
    const known = this.treeNodes.get(id);
    if (known !== undefined) return known;
    const cf = this.callFrames.get(id);
    const parentId = this.parents.get(id);
    const parent = parentId !== undefined && depth < 5000 ? this.nodeOf(tree, parentId, depth + 1) : -1;
    // The root is not a frame of its own.
    const node = !cf || plainText(cf.functionName) === '(root)' ? parent : tree.add(parent, v8Frame(cf));
    this.treeNodes.set(id, node);
    return node;
  }

  /** Adds a sample event per sample, at `start` plus the running sum of the deltas (microseconds). */
  emit(timeline: Timeline, thread: number, start: number): number {
    let t = start;
    const n = Math.min(this.samples.length, this.deltas.length);
    for (let i = 0; i < n; i++) {
      t += this.deltas[i]!;
      timeline.add(t, thread, KIND_SAMPLE, this.nodeOf(timeline.tree, this.samples[i]!));
    }
    return n;
  }
}

/** Flattens the legacy `head` tree (nested children objects) into nodes with parent ids. */
function legacyNodes(head: JsonObject): Json[] {
  const out: Json[] = [];
  const stack: { node: JsonObject; parent: number | null }[] = [{ node: head, parent: null }];
  while (stack.length > 0 && out.length < MAX_TRACE_EVENTS) {
    const { node, parent } = stack.pop()!;
    const id = number(node.id);
    if (id === null) continue;
    out.push({ id, parent, callFrame: node });
    if (Array.isArray(node.children))
      for (const c of node.children) if (isObject(c)) stack.push({ node: c, parent: id });
  }
  return out;
}

/** A whole `.cpuprofile` document → sample events on one thread. */
function readCpuProfile(doc: JsonObject, timeline: Timeline, thread: number): number {
  const profile = new CpuProfile();
  if (Array.isArray(doc.nodes)) profile.addNodes(doc.nodes);
  else if (isObject(doc.head)) profile.addNodes(legacyNodes(doc.head));
  const samples = Array.isArray(doc.samples) ? doc.samples : [];
  for (const s of samples) profile.samples.push(number(s) ?? -1);
  let start = number(doc.startTime) ?? 0;
  if (Array.isArray(doc.timeDeltas)) {
    for (const d of doc.timeDeltas) profile.deltas.push(number(d) ?? 0);
  } else if (Array.isArray(doc.timestamps)) {
    // Legacy profiles give absolute timestamps (µs) and their start in seconds.
    const stamps = doc.timestamps.map((x) => number(x) ?? 0);
    if (start * 1e6 <= (stamps[0] ?? 0)) start *= 1e6;
    else start = stamps[0] ?? 0;
    let prev = start;
    for (const s of stamps) {
      profile.deltas.push(s - prev);
      prev = s;
    }
  }
  return profile.emit(timeline, thread, start);
}

/** Reads a trace document's events (streamed) into the timeline. */
class TraceEvents {
  private readonly slices = new Map<number, Slice[]>();
  private readonly marks = new Map<number, Mark[]>();
  private readonly profiles = new Map<string, { profile: CpuProfile; thread: number; start: number }>();
  private readonly sampled: { t: number; thread: number; sf: string }[] = [];
  private stackFrames: JsonObject = {};
  private readonly threadNames = new Map<string, string>();
  private readonly processNames = new Map<string, string>();
  private readonly pids = new Set<string>();
  private order = 0;
  kept = 0;
  dropped = 0;
  unreadable = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly prefix: string,
  ) {}

  value(key: string, text: string): void {
    let v: Json;
    try {
      v = JSON.parse(text) as Json;
    } catch {
      this.unreadable++;
      return;
    }
    if (!isObject(v)) return;
    if (key === 'stackFrames') this.stackFrames = v;
    else if (key === 'samples') this.sample(v);
    else this.event(v);
  }

  private thread(e: JsonObject): number {
    const pid = plainText(e.pid) ?? '';
    const tid = plainText(e.tid) ?? '';
    this.pids.add(pid);
    return this.timeline.threadOf(`${this.prefix}${pid}:${tid}`);
  }

  private event(e: JsonObject): void {
    const ph = plainText(e.ph);
    if (ph === 'M') return this.metadata(e);
    if (ph !== 'X' && ph !== 'B' && ph !== 'E' && ph !== 'P') return;
    if (this.kept >= MAX_TRACE_EVENTS) {
      this.dropped++;
      return;
    }
    this.kept++;
    const ts = number(e.ts);
    if (ts === null) return;
    const thread = this.thread(e);
    if (ph === 'P') return this.profileEvent(e, thread, ts);
    if (ph === 'X') {
      const slice = {
        start: ts,
        end: ts + Math.max(0, number(e.dur) ?? 0),
        frame: traceFrame(e),
        order: this.order++,
      };
      return push(this.slices, thread, slice);
    }
    push(this.marks, thread, {
      ts,
      begin: ph === 'B',
      name: plainText(e.name),
      frame: traceFrame(e),
      order: this.order++,
    });
  }

  private metadata(e: JsonObject): void {
    const name = isObject(e.args) ? plainText(e.args.name) : null;
    if (name === null) return;
    const pid = plainText(e.pid) ?? '';
    if (e.name === 'thread_name') this.threadNames.set(`${pid}:${plainText(e.tid) ?? ''}`, name);
    else if (e.name === 'process_name') this.processNames.set(pid, name);
  }

  /** `Profile` (start time) and `ProfileChunk` (nodes, samples, deltas) of Chrome's CPU profiler. */
  private profileEvent(e: JsonObject, thread: number, ts: number): void {
    const id = `${plainText(e.pid) ?? ''}:${plainText(e.id) ?? ''}`;
    const data = isObject(e.args) && isObject(e.args.data) ? e.args.data : null;
    let p = this.profiles.get(id);
    if (!p) {
      p = { profile: new CpuProfile(), thread, start: ts };
      this.profiles.set(id, p);
    }
    if (!data) return;
    if (e.name === 'Profile') p.start = number(data.startTime) ?? p.start;
    const cpu = isObject(data.cpuProfile) ? data.cpuProfile : null;
    if (cpu && Array.isArray(cpu.nodes)) p.profile.addNodes(cpu.nodes);
    if (cpu && Array.isArray(cpu.samples))
      for (const s of cpu.samples) p.profile.samples.push(number(s) ?? -1);
    const deltas = Array.isArray(data.timeDeltas)
      ? data.timeDeltas
      : cpu && Array.isArray(cpu.timeDeltas)
        ? cpu.timeDeltas
        : [];
    for (const d of deltas) p.profile.deltas.push(number(d) ?? 0);
  }

  /** An entry of the object form's `samples`: a time, a thread and a `stackFrames` id. */
  private sample(s: JsonObject): void {
    const ts = number(s.ts);
    const sf = plainText(s.sf);
    if (ts === null || sf === null) return;
    this.sampled.push({ t: ts, thread: this.thread(s), sf });
  }

  /** Builds the timeline once the document is read: nesting per thread, samples, thread names. */
  finish(warnings: (message: string) => void): void {
    for (const [thread, marks] of this.marks) {
      for (const s of pairMarks(marks, warnings)) push(this.slices, thread, s);
    }
    for (const [thread, slices] of this.slices) nest(this.timeline, thread, slices, warnings);
    for (const p of this.profiles.values()) p.profile.emit(this.timeline, p.thread, p.start);
    const frameNodes = new Map<string, number>();
    for (const s of this.sampled) {
      this.timeline.add(s.t, s.thread, KIND_SAMPLE, this.frameNode(s.sf, frameNodes, 0));
    }
    this.nameThreads();
  }

  private frameNode(id: string, nodes: Map<string, number>, depth: number): number {
    const known = nodes.get(id);
    if (known !== undefined) return known;
    const f = this.stackFrames[id];
    if (!isObject(f) || depth > 5000) return -1;
    const parentId = plainText(f.parent);
    const parent = parentId !== null ? this.frameNode(parentId, nodes, depth + 1) : -1;
    const line = number(f.line);
    const node = this.timeline.tree.add(parent, {
      function: plainText(f.name),
      file: plainText(f.url),
      line: line !== null && line > 0 ? line : null,
    });
    nodes.set(id, node);
    return node;
  }

  private nameThreads(): void {
    const multiProcess = this.pids.size > 1;
    for (const t of this.timeline.threads) {
      if (!t.id.startsWith(this.prefix)) continue;
      const key = t.id.slice(this.prefix.length);
      const [pid, tid] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const thread = this.threadNames.get(key);
      const process = this.processNames.get(pid);
      const name = multiProcess && process ? `${process} / ${thread ?? tid}` : thread;
      if (name) t.name = name;
      // A single process needs no pid in the thread's id.
      if (!multiProcess) t.id = `${this.prefix}${tid}`;
    }
  }
}

interface Slice {
  start: number;
  end: number;
  frame: SessionFrame;
  order: number;
}

interface Mark {
  ts: number;
  begin: boolean;
  name: string | null;
  frame: SessionFrame;
  order: number;
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A trace event as a frame: its name, and where its args say it is (`src_file`, `data.url`, Hermes' `url`). */
function traceFrame(e: JsonObject): SessionFrame {
  const args = isObject(e.args) ? e.args : {};
  const data = isObject(args.data) ? args.data : {};
  const f: SessionFrame = {
    function: plainText(data.functionName) ?? plainText(e.name),
    file: plainText(data.url) ?? plainText(args.url) ?? plainText(args.src_file),
    line: positive(number(data.lineNumber) ?? number(args.line)),
  };
  const column = positive(number(data.columnNumber) ?? number(args.column));
  if (column !== null) f.column = column;
  const entries = Object.entries(args);
  if (entries.length > 0) f.scopes = [{ name: 'Args', variables: variablesOf(entries) }];
  return f;
}

function positive(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}

/** Matches `B`/`E` pairs per thread in time order; an `E` closes the innermost open `B` of its name. */
function pairMarks(marks: Mark[], warn: (message: string) => void): Slice[] {
  marks.sort((a, b) => a.ts - b.ts || a.order - b.order);
  const open: Mark[] = [];
  const out: Slice[] = [];
  let unmatched = 0;
  for (const m of marks) {
    if (m.begin) {
      open.push(m);
      continue;
    }
    let i = open.length - 1;
    if (m.name !== null) while (i >= 0 && open[i]!.name !== m.name) i--;
    if (i < 0) {
      unmatched++;
      continue;
    }
    const b = open.splice(i, 1)[0]!;
    out.push({ start: b.ts, end: m.ts, frame: b.frame, order: b.order });
  }
  const last = marks.length > 0 ? marks[marks.length - 1]!.ts : 0;
  for (const b of open) out.push({ start: b.ts, end: last, frame: b.frame, order: b.order });
  if (unmatched > 0) warn(`${unmatched} end (E) event${unmatched === 1 ? '' : 's'} without a begin (B)`);
  if (open.length > 0)
    warn(
      `${open.length} begin (B) event${open.length === 1 ? '' : 's'} never ended: closed at the last event`,
    );
  return out;
}

/**
 * Enter and exit events for one thread's slices: the stack of a slice is the slices that contain it. A
 * slice that outlasts the one containing it is cut at its container's end.
 */
function nest(timeline: Timeline, thread: number, slices: Slice[], warn: (message: string) => void): void {
  slices.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const open: { end: number; node: number }[] = [];
  let cut = 0;
  const closeUntil = (t: number): void => {
    while (open.length > 0 && open[open.length - 1]!.end <= t) {
      const o = open.pop()!;
      timeline.add(o.end, thread, KIND_EXIT, o.node);
    }
  };
  for (const s of slices) {
    closeUntil(s.start);
    const parent = open[open.length - 1];
    let end = s.end;
    if (parent && end > parent.end) {
      end = parent.end;
      cut++;
    }
    const node = timeline.tree.add(parent ? parent.node : -1, s.frame);
    timeline.add(s.start, thread, KIND_ENTER, node);
    if (end <= s.start) timeline.add(s.start, thread, KIND_EXIT, node);
    else open.push({ end, node });
  }
  closeUntil(Number.POSITIVE_INFINITY);
  if (cut > 0)
    warn(
      `${cut} slice${cut === 1 ? '' : 's'} outlasted the slice containing ${cut === 1 ? 'it' : 'them'}: cut at its end`,
    );
}

const BLOCK = 1 << 20;

/** Streams a file's text (UTF-8, or UTF-16LE with or without BOM) in decoded chunks. */
async function readText(
  file: string,
  onChunk: (text: string) => void,
  progress: Progress,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { fd } = openInput(file);
  const buf = Buffer.allocUnsafe(BLOCK);
  let decoder: TextDecoder | null = null;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const n = await readBlock(fd, buf, file);
      if (n === 0) break;
      let bytes: Uint8Array = buf.subarray(0, n);
      if (!decoder) {
        const guess = detectEncoding(bytes);
        if (guess.encoding === 'utf-16be')
          throw new InputError(`${file}: UTF-16BE is not read: save it as UTF-8`);
        decoder = new TextDecoder(guess.encoding === 'utf-16le' ? 'utf-16le' : 'utf-8', { fatal: false });
        bytes = bytes.subarray(guess.bomLength);
      }
      onChunk(decoder.decode(bytes, { stream: true }));
      progress.advance(n);
    }
    if (decoder) onChunk(decoder.decode());
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a file is a `.cpuprofile` (one object with `nodes` or `head`) rather than a trace document. */
export function looksLikeCpuProfile(file: string, head: string): boolean {
  if (file.toLowerCase().endsWith('.cpuprofile')) return true;
  const s = head.trimStart();
  return s.startsWith('{') && /^\{\s*"(?:nodes|head)"\s*:/.test(s.slice(0, 64));
}

async function readWhole(file: string, progress: Progress, signal: AbortSignal | undefined): Promise<string> {
  const size = fs.statSync(file).size;
  if (size > MAX_CPUPROFILE_BYTES) {
    throw new InputError(`${file}: a .cpuprofile over ${MAX_CPUPROFILE_BYTES / 1048576} MB is not read`);
  }
  const parts: string[] = [];
  await readText(file, (t) => parts.push(t), progress, signal);
  return parts.join('');
}

/** Imports profiles from `files` into `writer`. */
export async function importProfiles(
  files: readonly string[],
  writer: SessionWriter,
  options: ImportOptions,
  warnings: Warnings,
): Promise<ImportSummary> {
  const timeline = new Timeline();
  const progress = new Progress(totalSize(files), options.onProgress);
  let units = 0;
  for (const [index, file] of files.entries()) {
    const run: ProfileFile = {
      file,
      prefix: files.length > 1 ? `${index + 1}/` : '',
      timeline,
      progress,
      signal: options.signal,
      warn: (message) => warnings.add(file, undefined, message),
    };
    const read = looksLikeCpuProfile(file, readHeadText(file, 8192)) ? importCpuProfile : importTraceDocument;
    units += await read(run);
  }
  if (timeline.dropped > 0)
    warnings.add(files[0] ?? '', undefined, `more than ${MAX_EVENTS} events: ${timeline.dropped} left out`);
  await writer.header({
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    threads: timeline.threads,
    clock: { unit: 'us' },
    source: { importer: 'profile', files: [...files] },
  });
  await timeline.write(writer, options.signal);
  return { events: writer.events, threads: timeline.threads.length, units };
}

/** One profile file being imported: where its events go and where its warnings are said. */
interface ProfileFile {
  file: string;
  /** Put before its thread ids when several files are imported together (`2/`). */
  prefix: string;
  timeline: Timeline;
  progress: Progress;
  signal: AbortSignal | undefined;
  warn: (message: string) => void;
}

/** Reads a `.cpuprofile`; returns the number of profiles read (0 or 1). */
async function importCpuProfile(run: ProfileFile): Promise<number> {
  const { file, timeline, warn } = run;
  let doc: Json;
  try {
    doc = JSON.parse(await readWhole(file, run.progress, run.signal)) as Json;
  } catch (e) {
    if (e instanceof InputError || (e as Error).name === 'AbortError') throw e;
    warn(`not a complete JSON document (${(e as Error).message}): no samples read`);
    return 0;
  }
  if (!isObject(doc)) {
    warn('not a CPU profile (no nodes and samples)');
    return 0;
  }
  const samples = readCpuProfile(doc, timeline, timeline.threadOf(`${run.prefix}main`, 'CPU profile'));
  if (samples === 0) warn('the profile has no samples');
  return 1;
}

/** Streams a Trace Event document; returns the number of documents read (0 or 1). */
async function importTraceDocument(run: ProfileFile): Promise<number> {
  const { file, timeline, warn } = run;
  const events = new TraceEvents(timeline, run.prefix);
  const splitter = new JsonEventSplitter((key, text) => events.value(key, text));
  await readText(file, (chunk) => splitter.push(chunk), run.progress, run.signal);
  if (!splitter.started) {
    warn('not a Trace Event document (no JSON array or object)');
    return 0;
  }
  if (!splitter.complete)
    warn('the document ends early (no closing bracket): the events before the end are read');
  if (events.unreadable > 0) {
    warn(
      `${events.unreadable} event${events.unreadable === 1 ? ' that is' : 's that are'} not valid JSON left out`,
    );
  }
  if (splitter.oversized > 0) warn(`${splitter.oversized} event(s) over 64 MB left out`);
  if (events.dropped > 0) warn(`more than ${MAX_TRACE_EVENTS} trace events: ${events.dropped} left out`);
  events.finish(warn);
  return 1;
}
