// Worker-thread entry for parallel scans of large files (bundled as dist/scanWorker.js).

import { runScanWorker } from './core/trace/scanWorker';

runScanWorker();
