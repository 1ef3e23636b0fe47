// The core the editor runs: parsers, resolver and git, bundled apart (dist/engine.js) and loaded on first use
// (loadEngine.ts), so that activating the extension does not compile half a megabyte of parsers. Cases too.

export { parseText, classifyTrace, placedFrames, signatureOf } from '../core/trace';
export { InputError, scanFile } from '../core/trace/file';
export { GitRepo } from '../core/git';
export { CONFIDENT, HistoryCache, Resolver, checkLines, indexFolder, openWorkspace } from '../core/resolve';
export * as cases from '../core/cases';
export { EscalateDebugSession } from '../debug/session';
export { detectImport, importSession } from '../core/replay/importers';
