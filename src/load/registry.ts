import type { InputFormat } from './inputs.js';

/**
 * Formats other than whole OpenAPI documents (scope manifests, collapsed YAML, reference pages,
 * scope tables). Each lives in its own module under load/ and is listed here.
 */
export const extraFormats: (InputFormat & { priority: 'before-openapi' | 'after-openapi' })[] = [];
