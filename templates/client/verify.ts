// Webhook verification as Plaid documents it: the Plaid-Verification header is an ES256 JWT whose
// key id names a public key (JWK); the JWT must be under 5 minutes old, and its
// request_body_sha256 claim must equal the SHA-256 of the raw body. Web Crypto only.

export interface VerifyWebhookOptions {
  /** The public key (JWK) for a key id, e.g. from createWebhookKeyFetcher(client); null when unknown. */
  getKey(kid: string): Promise<JsonWebKey | null | undefined> | JsonWebKey | null | undefined;
  /** Oldest accepted token age (default 300 s). */
  maxAgeSeconds?: number;
  /** Header carrying the JWT (default Plaid-Verification). */
  header?: string;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
}

export type WebhookVerification<W> = { ok: true; webhook: W; kid: string } | { ok: false; reason: string };

export type WebhookHeaders = Headers | { readonly [name: string]: string | readonly string[] | undefined };

const encoder = new TextEncoder();

export async function verifyWebhookSignature<W>(body: string | Uint8Array | ArrayBuffer, headers: WebhookHeaders, options: VerifyWebhookOptions): Promise<WebhookVerification<W>> {
  const fail = (reason: string): WebhookVerification<W> => ({ ok: false, reason });
  const jwt = headerValue(headers, options.header ?? 'plaid-verification');
  if (!jwt) return fail('missing verification header');
  const parts = jwt.split('.');
  if (parts.length !== 3) return fail('malformed token');
  const protectedHeader = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  if (!protectedHeader || !claims) return fail('malformed token');
  // Only ES256: never let the token pick a weaker algorithm (or "none").
  if (protectedHeader.alg !== 'ES256') return fail(`unsupported algorithm ${JSON.stringify(protectedHeader.alg)}`);
  const kid = protectedHeader.kid;
  if (typeof kid !== 'string' || !kid) return fail('token has no key id');

  let jwk: (JsonWebKey & { expired_at?: unknown }) | null | undefined;
  try {
    jwk = await options.getKey(kid);
  } catch {
    return fail(`key ${kid} could not be fetched`);
  }
  if (!jwk) return fail(`unknown key id ${kid}`);
  if (jwk.expired_at != null) return fail(`key ${kid} has expired`);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return fail(`key ${kid} is not a P-256 key`);

  let valid = false;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const signature = base64url(parts[2]);
    valid = signature.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, encoder.encode(`${parts[0]}.${parts[1]}`)));
  } catch {
    valid = false;
  }
  if (!valid) return fail('bad signature');

  const now = (options.now ?? Date.now)() / 1000;
  const maxAge = options.maxAgeSeconds ?? 300;
  if (typeof claims.iat !== 'number') return fail('token has no iat');
  if (now - claims.iat > maxAge) return fail('token is too old');
  if (claims.iat - now > maxAge) return fail('token is issued in the future');

  const raw = typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body);
  const digest = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', raw)));
  if (typeof claims.request_body_sha256 !== 'string' || !constantTimeEqual(digest, claims.request_body_sha256.toLowerCase())) return fail('body does not match the signed hash');

  let webhook: W;
  try {
    webhook = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(raw)) as W;
  } catch {
    return fail('body is not JSON');
  }
  return { ok: true, webhook, kid };
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return diff === 0;
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return typeof v === 'string' ? v : v?.[0];
  return undefined;
}

function base64url(text: string) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(base64url(part)));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
