/**
 * The shape of an OpenAPI 3.0 / 3.1 document, as much as a parser needs to put keys back where they
 * belong once the indentation is gone: which keys each object has, which objects are maps with free
 * keys (paths, properties, responses, ...), what each value is (object, list, text, free-form).
 */

export type ScalarType = 'string' | 'boolean' | 'number' | 'any';

export interface MapShape {
  k: 'map';
  name: string;
  fields: Record<string, Shape>;
  /** `x-*` keys allowed, with free-form values. */
  ext: boolean;
  /** After one of these keys, the object takes no more keys (`$ref` in 3.0, an example's `value`). */
  seal?: string[];
  /** Extra plausibility check of a key against what the object already holds. */
  check?: (key: string, object: Record<string, unknown>, values: () => string[]) => boolean;
}

export interface DictShape {
  k: 'dict';
  name: string;
  /** Keys must look like this (paths start with `/`, responses are status codes, ...). */
  key?: RegExp;
  value: Shape;
}

export interface ListShape {
  k: 'list';
  item: Shape;
}

export interface ScalarShape {
  k: 'scalar';
  type: ScalarType;
}

/** Free-form data: example values, extensions, defaults. */
export interface AnyShape {
  k: 'any';
  /** Example values: the nearest media type's schema guides their nesting. */
  example?: boolean;
}

/** One of several shapes, picked by the first token of the value. */
export interface EitherShape {
  k: 'either';
  options: Shape[];
}

export type Shape = MapShape | DictShape | ListShape | ScalarShape | AnyShape | EitherShape;

const map = (name: string, seal?: string[]): MapShape => ({ k: 'map', name, fields: {}, ext: true, seal });
const dict = (name: string, value: Shape, key?: RegExp): DictShape => ({ k: 'dict', name, value, key });
const list = (item: Shape): ListShape => ({ k: 'list', item });
const either = (...options: Shape[]): EitherShape => ({ k: 'either', options });

export const STRING: ScalarShape = { k: 'scalar', type: 'string' };
export const BOOLEAN: ScalarShape = { k: 'scalar', type: 'boolean' };
export const NUMBER: ScalarShape = { k: 'scalar', type: 'number' };
export const VALUE: ScalarShape = { k: 'scalar', type: 'any' };
export const ANY: AnyShape = { k: 'any' };
export const EXAMPLE_VALUE: AnyShape = { k: 'any', example: true };

const ANY_KEY = /^\S+$/;
const STATUS = /^([1-5](\d\d|XX)|default)$/;
const MEDIA_TYPE = /^[\w.+*-]+\/[\w.+*-]+(;.*)?$/;
const PATH = /^\//;

export interface Grammar {
  root: MapShape;
  schema: MapShape;
}

/** Builds the grammar; 3.0 ignores `$ref` siblings, so there a `$ref` ends its object. */
export function openApiGrammar(version: '3.0' | '3.1'): Grammar {
  const refSeal = version === '3.0' ? ['$ref'] : undefined;
  const root = map('OpenAPI');
  const info = map('Info');
  const contact = map('Contact');
  const license = map('License');
  const server = map('Server');
  const serverVariable = map('ServerVariable');
  const pathItem = map('PathItem', refSeal);
  const operation = map('Operation');
  const externalDocs = map('ExternalDocs');
  const parameter = map('Parameter', refSeal);
  const header = map('Header', refSeal);
  const requestBody = map('RequestBody', refSeal);
  const mediaType = map('MediaType');
  const encoding = map('Encoding');
  const response = map('Response', refSeal);
  const example = map('Example', [...(refSeal ?? []), 'value']);
  const link = map('Link', refSeal);
  const components = map('Components');
  const securityScheme = map('SecurityScheme', refSeal);
  const oauthFlows = map('OAuthFlows');
  const oauthFlow = map('OAuthFlow');
  const tag = map('Tag');
  const schema = map('Schema', refSeal);
  const discriminator = map('Discriminator');
  const xml = map('XML');

  const securityRequirement = dict('SecurityRequirement', list(STRING), ANY_KEY);
  const servers = list(server);
  const parameters = list(parameter);
  const content = dict('Content', mediaType, MEDIA_TYPE);
  const examples = dict('Examples', example, ANY_KEY);
  const schemas = dict('Schemas', schema, ANY_KEY);
  const paths = dict('Paths', pathItem, PATH);
  const callbacks = dict('Callbacks', dict('Callback', pathItem, ANY_KEY), ANY_KEY);

  Object.assign(root.fields, {
    openapi: STRING,
    info,
    jsonSchemaDialect: STRING,
    servers,
    paths,
    webhooks: dict('Webhooks', pathItem, ANY_KEY),
    components,
    security: list(securityRequirement),
    tags: list(tag),
    externalDocs,
  });
  Object.assign(info.fields, { title: STRING, summary: STRING, description: STRING, termsOfService: STRING, contact, license, version: STRING });
  Object.assign(contact.fields, { name: STRING, url: STRING, email: STRING });
  Object.assign(license.fields, { name: STRING, identifier: STRING, url: STRING });
  Object.assign(server.fields, { url: STRING, description: STRING, variables: dict('ServerVariables', serverVariable, ANY_KEY) });
  Object.assign(serverVariable.fields, { enum: list(STRING), default: STRING, description: STRING });
  const methods = Object.fromEntries(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].map((m) => [m, operation]));
  Object.assign(pathItem.fields, { $ref: STRING, summary: STRING, description: STRING, ...methods, servers, parameters });
  Object.assign(operation.fields, {
    tags: list(STRING),
    summary: STRING,
    description: STRING,
    externalDocs,
    operationId: STRING,
    parameters,
    requestBody,
    responses: dict('Responses', response, STATUS),
    callbacks,
    deprecated: BOOLEAN,
    security: list(securityRequirement),
    servers,
  });
  Object.assign(externalDocs.fields, { description: STRING, url: STRING });
  const parameterFields = {
    $ref: STRING,
    description: STRING,
    required: BOOLEAN,
    deprecated: BOOLEAN,
    allowEmptyValue: BOOLEAN,
    style: STRING,
    explode: BOOLEAN,
    allowReserved: BOOLEAN,
    schema,
    example: ANY,
    examples,
    content,
  };
  Object.assign(parameter.fields, { name: STRING, in: STRING, ...parameterFields });
  Object.assign(header.fields, parameterFields);
  Object.assign(requestBody.fields, { $ref: STRING, description: STRING, content, required: BOOLEAN });
  Object.assign(mediaType.fields, { schema, example: EXAMPLE_VALUE, examples, encoding: dict('Encodings', encoding, ANY_KEY) });
  Object.assign(encoding.fields, { contentType: STRING, headers: dict('Headers', header, ANY_KEY), style: STRING, explode: BOOLEAN, allowReserved: BOOLEAN });
  Object.assign(response.fields, { $ref: STRING, description: STRING, headers: dict('Headers', header, ANY_KEY), content, links: dict('Links', link, ANY_KEY) });
  Object.assign(example.fields, { $ref: STRING, summary: STRING, description: STRING, value: EXAMPLE_VALUE, externalValue: STRING });
  Object.assign(link.fields, { $ref: STRING, operationRef: STRING, operationId: STRING, parameters: ANY, requestBody: ANY, description: STRING, server });
  Object.assign(components.fields, {
    schemas,
    responses: dict('Responses', response, ANY_KEY),
    parameters: dict('Parameters', parameter, ANY_KEY),
    examples,
    requestBodies: dict('RequestBodies', requestBody, ANY_KEY),
    headers: dict('Headers', header, ANY_KEY),
    securitySchemes: dict('SecuritySchemes', securityScheme, ANY_KEY),
    links: dict('Links', link, ANY_KEY),
    callbacks,
    pathItems: dict('PathItems', pathItem, ANY_KEY),
  });
  Object.assign(securityScheme.fields, {
    $ref: STRING,
    type: STRING,
    description: STRING,
    name: STRING,
    in: STRING,
    scheme: STRING,
    bearerFormat: STRING,
    flows: oauthFlows,
    openIdConnectUrl: STRING,
  });
  Object.assign(oauthFlows.fields, { implicit: oauthFlow, password: oauthFlow, clientCredentials: oauthFlow, authorizationCode: oauthFlow });
  Object.assign(oauthFlow.fields, { authorizationUrl: STRING, tokenUrl: STRING, refreshUrl: STRING, scopes: dict('Scopes', STRING, ANY_KEY) });
  Object.assign(tag.fields, { name: STRING, description: STRING, externalDocs });
  Object.assign(discriminator.fields, { propertyName: STRING, mapping: dict('Mapping', STRING, ANY_KEY) });
  Object.assign(xml.fields, { name: STRING, namespace: STRING, prefix: STRING, attribute: BOOLEAN, wrapped: BOOLEAN });

  const schemaList = list(schema);
  const schemaDict = dict('SchemaMap', schema, ANY_KEY);
  Object.assign(schema.fields, {
    $ref: STRING,
    $id: STRING,
    $schema: STRING,
    $comment: STRING,
    $defs: schemaDict,
    title: STRING,
    description: STRING,
    type: either(list(STRING), STRING),
    format: STRING,
    enum: list(VALUE),
    const: VALUE,
    default: ANY,
    example: ANY,
    examples: ANY,
    nullable: BOOLEAN,
    deprecated: BOOLEAN,
    readOnly: BOOLEAN,
    writeOnly: BOOLEAN,
    multipleOf: NUMBER,
    maximum: NUMBER,
    minimum: NUMBER,
    exclusiveMaximum: VALUE,
    exclusiveMinimum: VALUE,
    maxLength: NUMBER,
    minLength: NUMBER,
    pattern: STRING,
    maxItems: NUMBER,
    minItems: NUMBER,
    uniqueItems: BOOLEAN,
    maxContains: NUMBER,
    minContains: NUMBER,
    maxProperties: NUMBER,
    minProperties: NUMBER,
    required: list(STRING),
    dependentRequired: dict('DependentRequired', list(STRING), ANY_KEY),
    properties: schemaDict,
    patternProperties: schemaDict,
    additionalProperties: either(schema, BOOLEAN),
    unevaluatedProperties: either(schema, BOOLEAN),
    propertyNames: schema,
    dependentSchemas: schemaDict,
    items: either(schema, schemaList),
    prefixItems: schemaList,
    contains: schema,
    unevaluatedItems: either(schema, BOOLEAN),
    allOf: schemaList,
    anyOf: schemaList,
    oneOf: schemaList,
    not: schema,
    if: schema,
    then: schema,
    else: schema,
    discriminator,
    xml,
    externalDocs,
    contentMediaType: STRING,
    contentEncoding: STRING,
  });
  schema.check = schemaKeyFits;
  return { root, schema };
}

const OBJECT_KEYS = new Set(['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties', 'propertyNames', 'dependentRequired', 'dependentSchemas', 'discriminator']);
const ARRAY_KEYS = new Set(['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains']);

/**
 * A key that only means something for objects (or arrays) does not belong to a schema of another
 * type: `required:` after a string property's description is the parent object's list. A `required`
 * list that names properties the schema does not have belongs further up too.
 */
function schemaKeyFits(key: string, schema: Record<string, unknown>, values: () => string[]): boolean {
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : undefined;
  if (OBJECT_KEYS.has(key) && types && !types.includes('object')) return false;
  if (ARRAY_KEYS.has(key) && types && !types.includes('array')) return false;
  if (key === 'required' && schema.properties && typeof schema.properties === 'object') {
    const names = values();
    const own = schema.properties as Record<string, unknown>;
    if (names.length && !names.every((n) => Object.prototype.hasOwnProperty.call(own, n))) return false;
  }
  return true;
}
