/**
 * The intermediate model: the one shape every input is normalized into and every emitter reads.
 *
 * It is plain, JSON-serializable data (no classes, no Maps, no cycles): `codegen inspect --json`
 * prints it as it is, tests compare it, and the incremental cache can store it. Spec-version
 * differences (OpenAPI 3.0 `nullable`, boolean `exclusiveMinimum`, 3.1 type arrays, tuple `items`)
 * are resolved here, so no emitter ever looks at the raw spec.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The JSON types a schema may admit. `integer` is a number with no fraction. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

export const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

/** Where something came from: the input file and a JSON pointer (RFC 6901) into it. */
export interface SourceRef {
  file: string;
  pointer: string;
}

/** One property of an object schema. Kept as a list, not a record, so that names like "1" keep their order. */
export interface Property {
  name: string;
  schema: Schema;
}

/** A `patternProperties` entry (OpenAPI 3.1). */
export interface PatternProperty {
  pattern: string;
  schema: Schema;
}

/** OpenAPI discriminator, with every mapping resolved to a model schema key. */
export interface Discriminator {
  propertyName: string;
  /** tag value -> schema key (a key of ApiModel.schemas) */
  mapping: { [tag: string]: string };
}

/**
 * A normalized JSON Schema node.
 *
 * Validators need every assertion, so a node keeps them side by side the way JSON Schema does
 * (a node may say `minLength` and `minimum` at once; each applies to its own type). What is
 * normalized away: `$ref` is a model key in `ref`; OpenAPI 3.0 `nullable` is folded into `type`
 * (and into `enum` as a `null` member, see `nullable`); exclusive bounds are numbers; tuple
 * `items` is `prefixItems`; `additionalItems` is `items`; boolean schemas are `{}` and `{ not: {} }`.
 * Use `describeKind()` (model/kind.ts) for the node's primary shape when emitting types or data.
 */
export interface Schema {
  /** Points at a named schema: a key of ApiModel.schemas. Other keywords on the node still apply (3.1). */
  ref?: string;
  /** A `$ref` that no input defines: the node is opaque (`unknown`), and a warning names it. */
  unresolved?: string;
  /**
   * 2020-12 `$dynamicRef` to an anchor its first target (`ref`) declares as `$dynamicAnchor`: the
   * anchor's name. A schema resource entered earlier in the evaluation that declares the same
   * dynamic anchor takes the place of `ref` (see dynamicScope).
   */
  dynamicRef?: string;
  /** The root of a schema resource (`$id`) that declares `$dynamicAnchor`s: anchor name -> key of its schema. */
  dynamicScope?: { [anchor: string]: string };

  /** Allowed JSON types; absent = any type. Contains 'null' when the schema is nullable. */
  type?: JsonType[];
  /** The schema was `nullable: true` (3.0): `null` passes even an `enum` or `allOf` that would reject it. A 3.1 type array with 'null' only sets `type`. */
  nullable?: boolean;
  enum?: JsonValue[];
  /** Present (even as null) when the schema has `const`; `hasConst` disambiguates `const: null`. */
  const?: JsonValue;
  hasConst?: boolean;

  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;

  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;

  properties?: Property[];
  required?: string[];
  /** Absent = any extra property allowed. `false` is `{ not: {} }`. */
  additionalProperties?: Schema;
  /** 2020-12: properties no other keyword of this schema (or of a subschema that applied) evaluated. */
  unevaluatedProperties?: Schema;
  patternProperties?: PatternProperty[];
  propertyNames?: Schema;
  minProperties?: number;
  maxProperties?: number;
  /** draft-4 `dependencies` / 2019+ `dependentRequired`: property -> properties it requires. */
  dependentRequired?: { [property: string]: string[] };
  /** draft-4 `dependencies` with a schema / 2019+ `dependentSchemas`. */
  dependentSchemas?: { [property: string]: Schema };

  /** Schema for every array item after `prefixItems`. */
  items?: Schema;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  contains?: Schema;
  /** 2020-12: items no other keyword of this schema (or of a subschema that applied) evaluated. */
  unevaluatedItems?: Schema;
  minContains?: number;
  maxContains?: number;

  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  if?: Schema;
  then?: Schema;
  else?: Schema;
  discriminator?: Discriminator;

  // Annotations: no effect on validation.
  title?: string;
  description?: string;
  deprecated?: boolean;
  /** Present when the spec gives a default; `hasDefault` disambiguates `default: null`. */
  default?: JsonValue;
  hasDefault?: boolean;
  example?: JsonValue;
  hasExample?: boolean;
  examples?: JsonValue[];
  readOnly?: boolean;
  writeOnly?: boolean;
}

/** A component schema with its generated name. */
export interface NamedSchema {
  /** The key under components/schemas (or the name a fragment gave it); unique in the model. */
  key: string;
  /** The TypeScript identifier emitters use; decided once by model/naming.ts. */
  symbol: string;
  schema: Schema;
  source: SourceRef;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface Example {
  /** The key under `examples`, or absent for a lone `example`. */
  name?: string;
  summary?: string;
  description?: string;
  value: JsonValue;
}

export interface MediaContent {
  /** e.g. application/json, application/x-www-form-urlencoded */
  mediaType: string;
  schema: Schema;
  examples: Example[];
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: Schema;
  /** OpenAPI serialization style, defaulted per location (form for query/cookie, simple for path/header). */
  style: string;
  explode: boolean;
  allowReserved?: boolean;
  description?: string;
  deprecated?: boolean;
  examples: Example[];
}

export interface RequestBody {
  required: boolean;
  description?: string;
  content: MediaContent[];
}

export interface ResponseHeader {
  name: string;
  required: boolean;
  schema: Schema;
  description?: string;
}

export interface Response {
  /** '200', '4XX', 'default', ... as in the spec. */
  status: string;
  description?: string;
  content: MediaContent[];
  headers: ResponseHeader[];
}

/** Names of security schemes to scopes; all entries of one requirement apply together. */
export interface SecurityRequirement {
  [scheme: string]: string[];
}

export interface Operation {
  /** The operation's camelCase name: the method name on the client. Unique in the model. */
  name: string;
  /** The operationId as written in the spec, when there is one. */
  operationId?: string;
  method: HttpMethod;
  path: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated?: boolean;
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: Response[];
  /** Absent: the API-wide `security` applies. Empty list: no auth. */
  security?: SecurityRequirement[];
  /** Operation-level servers, when they differ from the API's. */
  servers?: Server[];
  /** Type symbols decided by naming: request body, success body, error body. */
  symbols: { request: string; response: string; error: string; params: string };
  /** x-* extensions of the operation, kept for emitters that understand them. */
  extensions?: { [key: string]: JsonValue };
  source: SourceRef;
}

export interface ServerVariable {
  name: string;
  default: string;
  enum?: string[];
  description?: string;
}

export interface Server {
  url: string;
  description?: string;
  variables: ServerVariable[];
}

export interface OAuthFlow {
  /** implicit, password, clientCredentials, authorizationCode */
  flow: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  refreshUrl?: string;
  scopes: { [scope: string]: string };
}

export interface SecurityScheme {
  key: string;
  type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  description?: string;
  /** apiKey */
  name?: string;
  in?: 'header' | 'query' | 'cookie';
  /** http: 'bearer', 'basic', ... */
  scheme?: string;
  bearerFormat?: string;
  flows?: OAuthFlow[];
  openIdConnectUrl?: string;
}

/** One rule of a scope catalog; every rule kind names the scopes it constrains. */
export type ScopeRule =
  /** Every request must include these. */
  | { kind: 'required'; scopes: string[]; description?: string }
  /** At most one of these (patterns like `id:{bank_id}` match by prefix) may be requested together. */
  | { kind: 'exclusive'; scopes: string[]; patterns?: string[]; description?: string }
  /** `scope` may only be requested together with at least one of `oneOf`. */
  | { kind: 'requiresOneOf'; scope: string; oneOf: string[]; description?: string }
  /** These scopes are only granted with the named OAuth grant types. */
  | { kind: 'grantType'; scopes: string[]; grantTypes: string[]; description?: string }
  /** These scopes are only granted for users that the client manages. */
  | { kind: 'clientManagedOnly'; scopes: string[]; description?: string }
  /** Requesting `scope` also grants `implies`. */
  | { kind: 'implies'; scope: string; implies: string[]; description?: string }
  /** Requesting any of these turns on refresh tokens. */
  | { kind: 'enablesRefreshToken'; scopes: string[]; description?: string }
  /** These scopes must be enabled for the client by the provider before use. */
  | { kind: 'needsEnablement'; scopes: string[]; description?: string };

export interface ScopeDefinition {
  name: string;
  description?: string;
  group?: string;
  /** A parameterized scope such as `id:{bank_id}`: matches by the part before the first `{`. */
  pattern?: boolean;
}

export interface ScopeGroup {
  name: string;
  description?: string;
  scopes: string[];
}

/** An operation's scope needs: every scope in `allOf`, and at least one of `anyOf` when given. */
export interface OperationScopes {
  /** An operation name of the model, an operationId, or a name the provider's docs use. */
  operation: string;
  allOf: string[];
  anyOf?: string[];
}

/** A per-resource permissions schema (`allows` flags), as in seed 003's entitlements. */
export interface Entitlement {
  resource: string;
  property: string;
  schema?: string;
  permissions: string[];
  description?: string;
}

export interface ScopeCatalog {
  /** Identifier-safe key, e.g. `plaid`; unique in the model. */
  id: string;
  title?: string;
  description?: string;
  scopes: ScopeDefinition[];
  groups: ScopeGroup[];
  /** The scopes a new client may request (an allow-list, not necessarily a valid request). */
  defaults: string[];
  rules: ScopeRule[];
  operations: OperationScopes[];
  entitlements: Entitlement[];
  /** Error code the provider answers a bad scope set with (`invalid_scope` for OAuth 2). */
  errorCode: string;
  /** HTTP status of a call made without an operation's scope, when the provider says (403 for seed 003). */
  missingScopeStatus?: number;
  /** The operation that issues tokens for these scopes (its `scope` field takes them), e.g. `POST /oauth/token`. */
  tokenOperation?: string;
  source: SourceRef;
}

export type Severity = 'warning' | 'error';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `unresolved-ref`, `invalid-media-type`. */
  code: string;
  message: string;
  file?: string;
  pointer?: string;
  line?: number;
}

/** Two inputs defined the same thing differently; the later input won. */
export interface Conflict {
  kind: 'schema' | 'operation' | 'securityScheme' | 'scopeCatalog' | 'server';
  key: string;
  previous: { file: string; pointer: string; value: JsonValue };
  next: { file: string; pointer: string; value: JsonValue };
}

/** A fragment added something to a definition another input made, without contradicting it. */
export interface Enrichment {
  kind: 'operation' | 'schema';
  key: string;
  file: string;
  pointer: string;
  message: string;
}

export interface ApiInfo {
  title: string;
  version: string;
  /** The API version a version header defaults to: `info.version` before `_` (2020-09-14 for Plaid). */
  apiVersion: string;
  description?: string;
  /** The OpenAPI version of the first input (3.0.x or 3.1.x). */
  openapi: string;
}

export interface ApiModel {
  info: ApiInfo;
  servers: Server[];
  securitySchemes: SecurityScheme[];
  security: SecurityRequirement[];
  operations: Operation[];
  schemas: NamedSchema[];
  scopeCatalogs: ScopeCatalog[];
  warnings: Diagnostic[];
  conflicts: Conflict[];
  enrichments: Enrichment[];
  /** The input files, in the order given. */
  sources: string[];
}
