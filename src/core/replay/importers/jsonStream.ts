// Cuts a Chrome Trace Event document into its events without holding the document: the array form
// (`[{…},{…}` — the closing bracket may be missing, as the format allows) and the object form
// (`{"traceEvents": [...], "samples": [...], "stackFrames": {...}}`, keys in any order). Each event's text is
// handed on to be parsed alone, so a multi-gigabyte trace needs memory for one event at a time.

/** Top-level keys whose arrays hold one item per element. */
const ELEMENT_ARRAYS = new Set(['traceEvents', 'samples']);
/** Top-level keys whose value is handed on whole (the sampled stacks' frame table). */
const WHOLE_VALUES = new Set(['stackFrames']);

const QUOTE = 34;
const BACKSLASH = 92;

export class JsonEventSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private top: 'array' | 'object' | null = null;
  /** Object form, depth 1: whether the next string is a key, the key being read, the value's key. */
  private expectKey = false;
  private keyText: string | null = null;
  private valueKey: string | null = null;
  /** The element or value being captured: its key, the depth it returns to, the text so far. */
  private capture: { key: string; depth: number; text: string; from: number; dropped: boolean } | null = null;
  /** Depth of the elements of the array being streamed, or -1. */
  private elementsAt = -1;
  private elementsKey = '';
  /** Elements dropped for being longer than the limit. */
  oversized = 0;

  constructor(
    private readonly onValue: (key: string, text: string) => void,
    private readonly maxValue = 64 * 1024 * 1024,
  ) {}

  /** Whether the document's top-level value was closed. */
  get complete(): boolean {
    return this.top !== null && this.depth === 0;
  }

  /** Whether the input looked like a trace document at all. */
  get started(): boolean {
    return this.top !== null;
  }

  push(chunk: string): void {
    if (this.capture) this.capture.from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        this.stringChar(c, chunk[i]!);
        continue;
      }
      if (c === QUOTE) this.startString();
      else if (c === 123 /* { */ || c === 91 /* [ */) this.open(c, chunk, i);
      else if (c === 125 /* } */ || c === 93 /* ] */) this.close(chunk, i);
      else if (this.depth === 1 && this.top === 'object') this.objectPunctuation(c);
    }
    if (this.capture) this.carry(chunk);
  }

  private stringChar(c: number, ch: string): void {
    if (this.keyText !== null && !(c === QUOTE && !this.escaped)) this.keyText += ch;
    if (this.escaped) this.escaped = false;
    else if (c === BACKSLASH) this.escaped = true;
    else if (c === QUOTE) {
      this.inString = false;
      if (this.keyText !== null) {
        this.valueKey = this.keyText;
        this.keyText = null;
      }
    }
  }

  private startString(): void {
    this.inString = true;
    if (this.depth === 1 && this.top === 'object' && this.expectKey) {
      this.keyText = '';
      this.expectKey = false;
    }
  }

  private objectPunctuation(c: number): void {
    if (c === 44 /* , */) {
      this.expectKey = true;
      this.valueKey = null;
    }
  }

  private open(c: number, chunk: string, i: number): void {
    if (this.top === null) {
      this.top = c === 91 ? 'array' : 'object';
      this.depth = 1;
      this.expectKey = this.top === 'object';
      if (this.top === 'array') this.streamElements(1, 'traceEvents');
      return;
    }
    if (!this.capture) {
      if (this.depth === this.elementsAt && c === 123) this.startCapture(this.elementsKey, i);
      else if (this.depth === 1 && this.top === 'object' && this.valueKey !== null) {
        if (c === 91 && ELEMENT_ARRAYS.has(this.valueKey)) this.streamElements(2, this.valueKey);
        else if (WHOLE_VALUES.has(this.valueKey)) this.startCapture(this.valueKey, i);
      }
    }
    this.depth++;
  }

  private close(chunk: string, i: number): void {
    this.depth--;
    if (this.capture && this.depth === this.capture.depth) {
      const cap = this.capture;
      this.capture = null;
      const text = cap.dropped ? '' : cap.text + chunk.slice(cap.from, i + 1);
      if (!cap.dropped && text.length <= this.maxValue) this.onValue(cap.key, text);
      else this.oversized++;
    }
    if (this.depth < this.elementsAt) this.elementsAt = -1;
  }

  private streamElements(depth: number, key: string): void {
    this.elementsAt = depth;
    this.elementsKey = key;
  }

  private startCapture(key: string, i: number): void {
    this.capture = { key, depth: this.depth, text: '', from: i, dropped: false };
  }

  /** The chunk ended inside a captured value: keep its text, or stop keeping one that is too long. */
  private carry(chunk: string): void {
    const cap = this.capture!;
    if (cap.dropped) return;
    if (cap.text.length + chunk.length - cap.from > this.maxValue) {
      cap.dropped = true;
      cap.text = '';
    } else {
      cap.text += chunk.slice(cap.from);
    }
  }
}
