import type { NamedSchema, Property, Schema } from '../../model/types.js';
import { walkSchema } from '../../model/walk.js';
import { formatDef } from './formats.js';

/** Largest named schema (in schema nodes) that is inlined at its references. */
const INLINE_NODES = 8;

/** Which way a payload travels: readOnly properties are not required in requests, writeOnly ones not in responses. */
export type Direction = 'neutral' | 'request' | 'response';

/** Keywords that never change a verdict. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  'title', 'description', 'deprecated', 'default', 'hasDefault', 'example', 'hasExample', 'examples', 'readOnly', 'writeOnly', 'nullable',
]);

/**
 * Facts about the model's schemas the compiler needs before writing a line: which schemas can
 * recurse (they get a depth guard), which depend on direction (they get request/response
 * variants), and which nodes assert anything at all (the others compile to nothing).
 */
export class Analysis {
  readonly byKey: Map<string, NamedSchema>;
  /** Keys of named schemas on a `$ref` cycle. */
  readonly cyclic: Set<string>;
  /** Keys whose validation differs in that direction (a required readOnly / writeOnly property somewhere below). */
  private readonly sensitive: { request: Set<string>; response: Set<string> };
  private readonly codeMemo = new WeakMap<Schema, boolean>();
  private readonly inlineMemo = new Map<string, boolean>();
  private readonly inProgress = new Set<Schema>();

  constructor(schemas: NamedSchema[]) {
    this.byKey = new Map(schemas.map((s) => [s.key, s]));
    const refs = new Map<string, string[]>();
    const flagged = { readOnly: [] as string[], writeOnly: [] as string[] };
    for (const named of schemas) {
      const out = new Set<string>();
      let readOnly = false;
      let writeOnly = false;
      walkSchema(named.schema, (node) => {
        if (node.ref !== undefined && this.byKey.has(node.ref)) out.add(node.ref);
        if (node.discriminator) for (const target of Object.values(node.discriminator.mapping)) if (this.byKey.has(target)) out.add(target);
        if (node.required && !(readOnly && writeOnly)) {
          for (const name of node.required) {
            const property = this.findProperty(node, name);
            if (!property) continue;
            readOnly ||= this.flagged(property.schema, 'readOnly');
            writeOnly ||= this.flagged(property.schema, 'writeOnly');
          }
        }
      });
      refs.set(named.key, [...out]);
      if (readOnly) flagged.readOnly.push(named.key);
      if (writeOnly) flagged.writeOnly.push(named.key);
    }
    this.cyclic = cyclicKeys(schemas.map((s) => s.key), refs);
    this.sensitive = { request: propagate(refs, flagged.readOnly), response: propagate(refs, flagged.writeOnly) };
  }

  isSensitive(key: string, direction: Direction): boolean {
    return direction !== 'neutral' && this.sensitive[direction].has(key);
  }

  /**
   * Is a named schema small and self-contained enough to be checked inline where it is referenced
   * (the way ajv inlines refs)? Leaves only: no refs below, so inlining cannot recurse, and at most
   * INLINE_NODES schema nodes, so the copies stay small. Its own function still exists for validateX.
   */
  inlinable(key: string): boolean {
    let ok = this.inlineMemo.get(key);
    if (ok === undefined) {
      const target = this.byKey.get(key);
      let nodes = 0;
      let leaf = !!target && target.schema.unresolved === undefined;
      if (target && leaf) {
        walkSchema(target.schema, (node) => {
          nodes++;
          if (node.ref !== undefined || node.discriminator || node.unresolved !== undefined) leaf = false;
          if (node.enum && node.enum.some((v) => v !== null && typeof v === 'object')) leaf = false;
        });
      }
      ok = leaf && nodes <= INLINE_NODES;
      this.inlineMemo.set(key, ok);
    }
    return ok;
  }

  /** The named schema a ref points at, when it exists. */
  target(key: string): NamedSchema | undefined {
    return this.byKey.get(key);
  }

  /** Does the node assert anything besides its type (and nullable)? */
  hasCodeBesidesType(s: Schema): boolean {
    return s.type === undefined ? this.hasCode(s) : this.computeHasCode(s, true);
  }

  /** Does checking a value against this node ever fail? Nodes that cannot fail emit no code. */
  hasCode(s: Schema): boolean {
    const memo = this.codeMemo.get(s);
    if (memo !== undefined) return memo;
    // A node reached again while deciding is on a ref loop: assume it asserts something.
    if (this.inProgress.has(s)) return true;
    this.inProgress.add(s);
    const result = this.computeHasCode(s, false);
    this.inProgress.delete(s);
    this.codeMemo.set(s, result);
    return result;
  }

  private computeHasCode(s: Schema, ignoreType: boolean): boolean {
    if (s.unresolved !== undefined) return false;
    // Its target is only known at evaluation time.
    if (s.dynamicRef !== undefined) return true;
    if (s.ref !== undefined) {
      const target = this.byKey.get(s.ref);
      if (target && this.hasCode(target.schema)) return true;
    }
    if (s.type && !ignoreType) return true;
    if (s.enum || s.hasConst) return true;
    if (s.format !== undefined && formatDef(s.format)) return true;
    if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined) return true;
    if (s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined || s.multipleOf !== undefined) return true;
    if (s.required?.length || s.minProperties !== undefined || s.maxProperties !== undefined) return true;
    if (s.properties?.some((p) => this.hasCode(p.schema))) return true;
    if (s.additionalProperties && this.hasCode(s.additionalProperties)) return true;
    if (s.patternProperties?.some((p) => this.hasCode(p.schema))) return true;
    if (s.propertyNames && this.hasCode(s.propertyNames)) return true;
    if (s.dependentRequired && Object.values(s.dependentRequired).some((list) => list.length > 0)) return true;
    if (s.dependentSchemas && Object.values(s.dependentSchemas).some((d) => this.hasCode(d))) return true;
    if (s.items && this.hasCode(s.items)) return true;
    if (s.prefixItems?.some((p) => this.hasCode(p))) return true;
    if (s.minItems !== undefined || s.maxItems !== undefined || s.uniqueItems) return true;
    if (s.contains && ((s.minContains ?? 1) > 0 || s.maxContains !== undefined)) return true;
    if (s.allOf?.some((b) => this.hasCode(b))) return true;
    if (s.anyOf && s.anyOf.every((b) => this.hasCode(b))) return true;
    if (s.oneOf || s.not) return true;
    if (s.if && ((s.then && this.hasCode(s.then)) || (s.else && this.hasCode(s.else)))) return true;
    if (s.unevaluatedProperties && this.hasCode(s.unevaluatedProperties)) return true;
    if (s.unevaluatedItems && this.hasCode(s.unevaluatedItems)) return true;
    return false;
  }

  /** Is the property (through refs and allOf) marked readOnly / writeOnly? */
  flagged(s: Schema, flag: 'readOnly' | 'writeOnly', depth = 0): boolean {
    if (s[flag]) return true;
    if (depth > 8) return false;
    if (s.ref !== undefined) {
      const target = this.byKey.get(s.ref);
      if (target && this.flagged(target.schema, flag, depth + 1)) return true;
    }
    return !!s.allOf?.some((b) => this.flagged(b, flag, depth + 1));
  }

  /** The schema of property `name` as the node (or an allOf branch of it) declares it. */
  findProperty(s: Schema, name: string, depth = 0): Property | undefined {
    const own = s.properties?.find((p) => p.name === name);
    if (own || depth > 8) return own;
    if (s.ref !== undefined) {
      const target = this.byKey.get(s.ref);
      const found = target && this.findProperty(target.schema, name, depth + 1);
      if (found) return found;
    }
    for (const branch of s.allOf ?? []) {
      const found = this.findProperty(branch, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** Is the required property `name` of node `s` optional in this direction? */
  optionalIn(s: Schema, name: string, direction: Direction): boolean {
    if (direction === 'neutral') return false;
    const property = this.findProperty(s, name);
    return !!property && this.flagged(property.schema, direction === 'request' ? 'readOnly' : 'writeOnly');
  }
}

/** Only annotations (and nullable): nothing to check. */
export function isAnnotationOnly(s: Schema): boolean {
  for (const key in s) if ((s as Record<string, unknown>)[key] !== undefined && !ANNOTATIONS.has(key)) return false;
  return true;
}

/** Keys from which a flagged key can be reached through refs (they all need a variant). */
function propagate(refs: Map<string, string[]>, seeds: string[]): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const [from, targets] of refs) for (const to of targets) (reverse.get(to) ?? reverse.set(to, []).get(to)!).push(from);
  const out = new Set(seeds);
  const stack = [...seeds];
  while (stack.length) {
    for (const from of reverse.get(stack.pop()!) ?? []) {
      if (!out.has(from)) {
        out.add(from);
        stack.push(from);
      }
    }
  }
  return out;
}

/** Keys on a cycle of the ref graph (Tarjan's strongly connected components, iterative). */
function cyclicKeys(keys: string[], refs: Map<string, string[]>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Set<string>();
  let counter = 0;
  for (const root of keys) {
    if (index.has(root)) continue;
    const work: { key: string; next: number }[] = [{ key: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const targets = refs.get(frame.key) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ key: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.key, Math.min(low.get(frame.key)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].key;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.key)!));
      }
      if (low.get(frame.key) === index.get(frame.key)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.key);
        const selfLoop = component.length === 1 && (refs.get(component[0]) ?? []).includes(component[0]);
        if (component.length > 1 || selfLoop) for (const k of component) out.add(k);
      }
    }
  }
  return out;
}
