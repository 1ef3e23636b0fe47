// Loads the editor's core (engine.ts, bundled as dist/engine.js next to dist/extension.js) on first use.

import * as path from 'node:path';
import type * as Engine from './engine';

let loaded: typeof Engine | undefined;

export function engine(): typeof Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(__dirname, 'engine.js')) as typeof Engine;
  return loaded;
}
