import { preferredMedia, successResponses } from '../../model/operation.js';
import type { ScopeNeed } from '../../model/scopes.js';
import type { ApiModel, Operation } from '../../model/types.js';
import { stringLiteral } from '../shared/escape.js';
import { environmentNames, operationSchemes, serverLiteral } from './api-spec.js';
import { isBinaryMedia } from './open-types.js';

/** Names the client entry exports itself; a standalone operation function never takes one. */
export const RUNTIME_EXPORTS = new Set(['createClient', 'createBaseClient', 'withValidation', 'withRetries', 'withBearer', 'withHooks', 'apiSpec', 'isApiError', 'paginate', 'createTokenManager', 'verifyWebhook', 'createWebhookKeyFetcher']);

/** The exported name of an operation's standalone function. */
export function functionName(op: Operation): string {
  return RUNTIME_EXPORTS.has(op.name) ? `${op.name}Operation` : op.name;
}

export const isJsonMedia = (mediaType: string): boolean => /[/+]json\b/i.test(mediaType);

/** Which helpers of features.ts a descriptor uses (ops.ts imports only those). */
export function descriptorFeatures(op: Operation, needs: ScopeNeed[] | undefined): { encodeBody: boolean; params: boolean; needs: boolean } {
  return { encodeBody: requestMedia(op).some((m) => !isJsonMedia(m)), params: op.parameters.length > 0, needs: !!needs?.length };
}

/** Request media types, the preferred one (JSON) first. */
export function requestMedia(op: Operation): string[] {
  const content = op.requestBody?.content ?? [];
  const first = preferredMedia(content);
  if (!first) return [];
  return [first.mediaType, ...content.filter((m) => m !== first).map((m) => m.mediaType)];
}

/** The `Op` literal of an operation (see templates/client/runtime.ts). */
export function descriptorLiteral(op: Operation, model: ApiModel, needs: ScopeNeed[] | undefined): string {
  const fields = [`id: ${stringLiteral(op.name)}`, `m: ${stringLiteral(op.method.toUpperCase())}`, `p: ${stringLiteral(op.path)}`];
  const media = requestMedia(op);
  if (media.length) fields.push(media.length === 1 && media[0] === 'application/json' ? 'b: J' : `b: [${media.map(stringLiteral).join(', ')}]`);
  if (media.some((m) => !isJsonMedia(m))) fields.push('x: $encodeBody');
  if (op.parameters.length) {
    const params = op.parameters.map((p) => `[${[stringLiteral(p.name), stringLiteral(p.in), stringLiteral(p.style), String(p.explode), ...(p.allowReserved ? ['1'] : [])].join(', ')}]`);
    fields.push(`a: /* @__PURE__ */ $params([${params.join(', ')}])`);
  }
  const success = successResponses(op).map((r) => preferredMedia(r.content)).find(Boolean);
  if (success && isBinaryMedia(success.mediaType)) fields.push('r: 1');
  if (needs?.length) {
    const list = needs.map((n) => `[[${n.allOf.map(stringLiteral).join(', ')}]${n.anyOf?.length ? `, [${n.anyOf.map(stringLiteral).join(', ')}]` : ''}]`);
    fields.push(`s: /* @__PURE__ */ $needs([${list.join(', ')}])`);
  }
  const schemes = operationSchemes(op, model);
  if (schemes) fields.push(`k: [${schemes.map(stringLiteral).join(', ')}]`);
  if (op.servers?.length) {
    const names = environmentNames(op.servers);
    fields.push(`u: [${op.servers.map((s, i) => serverLiteral(s, names[i])).join(', ')}]`);
  }
  return `{ ${fields.join(', ')} }`;
}

export interface Signature {
  /** Parameter list after the client: `body: $T.X, params?: $T.Y, options?: CallOptions`. */
  params: string;
  /** Arguments passed on to $call: body, params. */
  body: string;
  args: string;
  returns: string;
}

/** How a signature names the strict ($T) and received ($R) types; by default through namespace imports. */
export interface TypeNames {
  strict(symbol: string): string;
  received(symbol: string): string;
}

const NAMESPACED: TypeNames = { strict: (s) => `$T.${s}`, received: (s) => `$R.${s}` };

export function signature(op: Operation, names: TypeNames = NAMESPACED): Signature {
  const list: { text: string; optional: boolean }[] = [];
  const media = op.requestBody && preferredMedia(op.requestBody.content);
  if (media) {
    const type = isBinaryMedia(media.mediaType) ? 'Blob | ArrayBuffer | Uint8Array | string' : names.strict(op.symbols.request);
    list.push({ text: `body: ${type}`, optional: !op.requestBody!.required });
  }
  if (op.parameters.length) list.push({ text: `params: ${names.strict(op.symbols.params)}`, optional: !op.parameters.some((p) => p.required) });
  list.push({ text: 'options: CallOptions', optional: true });
  // Only trailing parameters can be optional; an earlier one admits undefined instead.
  let trailing = true;
  const parts: string[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const p = list[i];
    if (p.optional && trailing) parts.unshift(p.text.replace(': ', '?: '));
    else {
      trailing = false;
      parts.unshift(p.optional ? `${p.text} | undefined` : p.text);
    }
  }
  return { params: parts.join(', '), body: media ? 'body' : 'undefined', args: op.parameters.length ? 'params' : 'undefined', returns: `Promise<${names.received(op.symbols.response)}>` };
}

/** JSDoc text of an operation: summary, description, method and path, scope needs. */
export function operationDoc(op: Operation, needs: ScopeNeed[] | undefined): string {
  const parts: string[] = [];
  if (op.summary?.trim()) parts.push(op.summary.trim());
  if (op.description?.trim() && op.description.trim() !== op.summary?.trim()) parts.push(op.description.trim());
  parts.push(`\`${op.method.toUpperCase()} ${op.path}\``);
  if (needs?.length) {
    const text = needs.map((n) => [...n.allOf, ...(n.anyOf?.length ? [`one of ${n.anyOf.join(' | ')}`] : [])].join(', ')).join('; ');
    parts.push(`Needs scopes: ${text}.`);
  }
  return parts.join('\n\n');
}
