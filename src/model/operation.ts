import type { MediaContent, Operation, Response } from './types.js';

/** JSON first (the media type clients send by default), then form bodies, then anything else. */
export function preferredMedia(content: MediaContent[]): MediaContent | undefined {
  return (
    content.find((m) => /^application\/json\b/i.test(m.mediaType)) ??
    content.find((m) => /[/+]json\b/i.test(m.mediaType)) ??
    content.find((m) => /x-www-form-urlencoded/i.test(m.mediaType)) ??
    content[0]
  );
}

export const isSuccessStatus = (status: string): boolean => /^2/.test(status);

/** 2xx responses, in status order. */
export function successResponses(op: Operation): Response[] {
  return op.responses.filter((r) => isSuccessStatus(r.status)).sort((a, b) => a.status.localeCompare(b.status));
}

/** Every response that is not 2xx: 4XX, 5XX, explicit codes and `default`. */
export function errorResponses(op: Operation): Response[] {
  return op.responses.filter((r) => !isSuccessStatus(r.status) && !/^[13]/.test(r.status));
}

/** The documented success status a server should answer with (200 unless the spec says otherwise). */
export function successStatus(op: Operation): number {
  const first = successResponses(op)[0];
  if (!first) return 200;
  return /^\d{3}$/.test(first.status) ? Number(first.status) : 200;
}
