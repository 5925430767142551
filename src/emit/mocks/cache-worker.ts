import { parentPort, workerData } from 'node:worker_threads';
import { loadInputs } from '../../load/index.js';
import { buildModel } from '../../normalize/index.js';
import { buildMocks } from './compile.js';

/** The worker behind compile.ts fillCacheInBackground: the full mock modules of the inputs, into the cache. */
const { specs, cacheDir, key } = workerData as { specs: string[]; cacheDir: string; key: string };
const model = buildModel(await loadInputs(specs));
await buildMocks(model, cacheDir, key, undefined, false);
parentPort?.postMessage('cached');
