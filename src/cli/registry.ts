import type { Argv } from 'yargs';

/** Commands besides generate and inspect (import-scopes, mock, diff), each in its own module under cli/. */
export const extraCommands: ((cli: Argv, setExit: (code: number) => void) => Argv)[] = [];
