// Retries as a plugin: after a network error, a timeout, 408, 429 or a 5xx (but 501 and 505), with
// exponential backoff and jitter, honouring Retry-After. createClient installs it; a
// createBaseClient program that wants it says so, `createBaseClient(withRetries({ ... }))`, and one
// that does not carries none of this code.

import { plugged, type CallContext, type Plugin, type RuntimeOptions } from './runtime.js';

export interface RetryOptions {
  /** Retries after a network error, a timeout, 408, 429 or a 5xx. Default 2. */
  maxRetries?: number;
  /** Base of the exponential backoff (with jitter). Default 500. */
  retryDelayMs?: number;
  /** Longest wait between tries; a longer Retry-After ends the retries. Default 30000. */
  maxRetryDelayMs?: number;
}

/** The options with the retries plugin added (after the plugins already there). */
export function withRetries<O extends RuntimeOptions & RetryOptions>(options: O): Omit<O, keyof RetryOptions> {
  const { maxRetries = 2, retryDelayMs = 500, maxRetryDelayMs = 30_000, ...rest } = options;
  // Retries made per call: a renewed token's extra attempt is not one of them.
  const made = new WeakMap<CallContext, number>();
  const plugin: Plugin = {
    async response({ response, ok }, _request, call) {
      if (ok) return false;
      const status = response?.status ?? 0;
      if (response && !(status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505))) return false;
      const n = made.get(call) ?? 0;
      if (n >= (call.options.maxRetries ?? maxRetries)) return false;
      const after = retryAfter(response?.headers.get('retry-after') ?? null);
      if (after! > maxRetryDelayMs) return false;
      made.set(call, n + 1);
      await sleep(after ?? backoff(n, retryDelayMs, maxRetryDelayMs), call.options.signal);
      return true;
    },
  };
  return plugged(rest, plugin);
}

/** Exponential backoff with equal jitter: between half and all of base * 2^attempt, capped. */
export function backoff(attempt: number, base: number, cap: number): number {
  const full = Math.min(cap, base * 2 ** attempt);
  return full / 2 + Math.random() * (full / 2);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = /^\s*\d+(\.\d+)?\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}
