import type { Diagnostic, ScopeCatalog } from '../model/types.js';

/**
 * What a loader hands the normalizer: an OpenAPI document (whole, or a fragment recovered from a
 * docs page), or a scope catalog. Text formats become one of these two, so normalize has only two
 * shapes to understand.
 */
export type RawInput =
  | {
      kind: 'openapi';
      file: string;
      document: Record<string, unknown>;
      /** A fragment may reference schemas another input defines and may lack info/paths. */
      fragment: boolean;
      /** The format the document was recovered from, e.g. `openapi`, `collapsed-yaml`, `reference-page`. */
      format: string;
      warnings: Diagnostic[];
    }
  | {
      kind: 'scopes';
      file: string;
      catalog: ScopeCatalog;
      format: string;
      warnings: Diagnostic[];
    };

/** One input format. Formats are tried in registry order; the first whose `detect` says yes loads the file. */
export interface InputFormat {
  name: string;
  detect(file: string, text: string): boolean;
  load(file: string, text: string): Promise<RawInput[]> | RawInput[];
}
