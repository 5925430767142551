import type { Argv } from 'yargs';
import { diffCommand } from './diff.js';
import { importScopesCommand } from './import-scopes.js';
import { mockCommand } from './mock.js';

/** Commands besides generate and inspect (import-scopes, mock, diff), each in its own module under cli/. */
export const extraCommands: ((cli: Argv, setExit: (code: number) => void) => Argv)[] = [importScopesCommand, diffCommand, mockCommand];
