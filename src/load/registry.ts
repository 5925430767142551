import { collapsedYamlFormat } from './collapsed-yaml.js';
import type { InputFormat } from './inputs.js';
import { referencePageFormat } from './reference-page.js';
import { scopeManifestFormat } from './scope-manifest.js';
import { scopeTableFormat } from './scope-table.js';

/**
 * Formats other than whole OpenAPI documents (scope manifests, collapsed YAML, reference pages,
 * scope tables). Each lives in its own module under load/ and is listed here.
 */
export const extraFormats: (InputFormat & { priority: 'before-openapi' | 'after-openapi' })[] = [
  { ...scopeManifestFormat, priority: 'before-openapi' },
  { ...collapsedYamlFormat, priority: 'before-openapi' },
  { ...referencePageFormat, priority: 'before-openapi' },
  { ...scopeTableFormat, priority: 'before-openapi' },
];
