import type { JsonValue } from '../model/types.js';

/**
 * What changed between two versions of an API, seen by a client of the generated package: code
 * that compiled and worked against the old package, does it still after the upgrade?
 */
export type ChangeKind =
  | 'operation-added'
  | 'operation-removed'
  | 'operation-renamed'
  | 'operation-moved'
  | 'deprecated'
  | 'parameter-added'
  | 'parameter-removed'
  | 'request-body-added'
  | 'request-body-removed'
  | 'media-type-added'
  | 'media-type-removed'
  | 'response-added'
  | 'response-removed'
  | 'header-added'
  | 'header-removed'
  | 'schema-added'
  | 'schema-removed'
  | 'schema-renamed'
  | 'property-added'
  | 'property-removed'
  | 'required-added'
  | 'required-removed'
  | 'type-changed'
  | 'format-changed'
  | 'enum-value-added'
  | 'enum-value-removed'
  | 'nullable-added'
  | 'nullable-removed'
  | 'constraint-changed'
  | 'variant-added'
  | 'variant-removed'
  | 'default-changed'
  | 'security-changed'
  | 'server-added'
  | 'server-removed'
  | 'scope-added'
  | 'scope-removed'
  | 'scope-rule-changed'
  | 'documentation-changed'
  | 'entry-added'
  | 'entry-removed'
  | 'regenerated';

/** The semver step a change asks for: major breaks callers, minor adds, patch is everything else. */
export type Bump = 'major' | 'minor' | 'patch';

/** Which way data flows through a schema: what the client sends, receives, or both. */
export type Direction = 'request' | 'response' | 'both';

export interface Change {
  kind: ChangeKind;
  breaking: boolean;
  bump: Bump;
  /** Human location: `POST /link/token/create (linkTokenCreate) request body: user.client_user_id` or `schema AccountBase: mask`. */
  location: string;
  /** One sentence: what changed and, when breaking, why it breaks callers. */
  message: string;
  /** Model operation name (new side when both exist). */
  operation?: string;
  /** Named schema key the change is inside of. */
  schema?: string;
  /** Where in the new spec (or the old one, for removals), as `file#/pointer`, when known. */
  pointer?: string;
  before?: JsonValue;
  after?: JsonValue;
}

export interface DiffSummary {
  breaking: number;
  nonBreaking: number;
  additions: number;
  /** The version step the changes imply (`none` when nothing changed). */
  bump: Bump | 'none';
}

export interface DiffResult {
  /** Breaking first, then additions, then the rest; stable within each group. */
  changes: Change[];
  summary: DiffSummary;
}
