// Worker-thread entry that builds a replay session's key index (bundled as dist/replayIndexWorker.js).

import { runIndexWorker } from './core/replay/indexWorker';

runIndexWorker();
