import type { ApiModel, Operation } from '../../model/types.js';

export type TokenEndpoint = { op: Operation } | { url: string };

/**
 * The OAuth token endpoint: the operation at an OAuth2 flow's tokenUrl, else an operation at
 * .../oauth/token or .../oauth2/token (Plaid), else a flow's tokenUrl on its own.
 */
export function findTokenEndpoint(model: ApiModel): TokenEndpoint | undefined {
  const urls = model.securitySchemes.flatMap((s) => (s.flows ?? []).map((f) => f.tokenUrl).filter((u): u is string => !!u));
  const posts = model.operations.filter((op) => op.method === 'post');
  for (const url of urls) {
    const path = pathOf(url);
    const op = posts.find((o) => o.path === path || (path.length > 1 && path.endsWith(o.path)));
    if (op) return { op };
  }
  const op = posts.find((o) => /\/oauth2?\/token$/i.test(o.path));
  if (op) return { op };
  return urls.length ? { url: urls[0] } : undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return url;
  }
}
