// One corpus worker: generates the packages it is sent, one at a time, and reports each outcome.
// Runs codegen in-process (dist/), so a worker pays Node's start-up once, not once per spec.
import { generate } from '../dist/generate.js';

process.on('message', async (job) => {
  const start = performance.now();
  try {
    const result = await generate({ specs: [job.spec], out: job.out, name: job.name, emit: job.emit, cache: false, prettier: false });
    process.send({
      id: job.id,
      ok: true,
      ms: performance.now() - start,
      rss: process.resourceUsage().maxRSS * 1024,
      operations: result.model.operations.length,
      schemas: result.model.schemas.length,
      warnings: result.model.warnings.length,
      outBytes: result.bytes,
    });
  } catch (error) {
    const input = error && error.name === 'InputError';
    process.send({
      id: job.id,
      ok: false,
      kind: input ? 'input' : 'crash',
      ms: performance.now() - start,
      message: input ? error.format() : String(error && error.message).split('\n')[0],
      stack: input ? undefined : String(error && error.stack).split('\n').slice(0, 6).join('\n'),
    });
  }
});
process.send({ ready: true });
