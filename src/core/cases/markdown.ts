// Markdown from untrusted text: titles, customer names and findings are escaped so that they read as text
// and cannot open a heading, a list, a link, a code block or HTML in a report.

/** Characters markdown (CommonMark, GitHub) would read as syntax anywhere in a line. */
const INLINE: Record<string, string> = {
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '~': '\\~',
  '!': '\\!',
  '#': '\\#',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

function escapeChars(s: string): string {
  let out = '';
  for (const c of s) out += INLINE[c] ?? c;
  return out;
}

/** One line of text, safe inside a paragraph, list item or heading (newlines become spaces). */
export function md(text: string): string {
  // Control characters would be invisible in a report; tabs and newlines read as spaces.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  return escapeChars(text.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '')).trim();
}

/** A line that would start a list, a heading underline, a quote or a numbered item is escaped at its start. */
function mdLine(line: string): string {
  const t = md(line);
  if (t === '') return t;
  if ('-+='.includes(t[0]!)) return `\\${t}`;
  let i = 0;
  while (i < t.length && i < 9 && t[i]! >= '0' && t[i]! <= '9') i++;
  if (i > 0 && (t[i] === '.' || t[i] === ')')) return `${t.slice(0, i)}\\${t.slice(i)}`;
  return t;
}

/** Several lines of text as paragraphs (blank lines kept, other line breaks kept as hard breaks). */
export function mdBlock(text: string, indent = ''): string {
  const paragraphs: string[][] = [[]];
  for (const line of text.split('\n')) {
    const t = mdLine(line);
    if (t !== '') paragraphs[paragraphs.length - 1]!.push(t);
    else if (paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
  }
  return paragraphs
    .filter((p) => p.length > 0)
    .map((p) => indent + p.join('  \n' + indent))
    .join('\n\n');
}

/** Inline code: a backtick run longer than any inside. */
export function mdCode(text: string): string {
  const t = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  let run = 0;
  for (const c of t) {
    run = c === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

const LANGS: Record<string, string> = {
  java: 'java',
  kt: 'kotlin',
  cs: 'csharp',
  go: 'go',
  py: 'python',
  ts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  jsx: 'jsx',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  rs: 'rust',
  rb: 'ruby',
  php: 'php',
  swift: 'swift',
  scala: 'scala',
  sql: 'sql',
  xml: 'xml',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
};

/** A fenced code block: the fence is longer than any backtick run in the code, the language from the path. */
export function mdFence(code: string, file = ''): string {
  let longest = 0;
  for (const line of code.split('\n')) {
    let n = 0;
    for (const c of line.trimStart()) {
      if (c !== '`') break;
      n++;
    }
    longest = Math.max(longest, n);
  }
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lang = LANGS[file.slice(file.lastIndexOf('.') + 1).toLowerCase()] ?? '';
  return `${fence}${lang}\n${code.replace(/\n$/, '')}\n${fence}`;
}
