/**
 * Kysely's values (the query builder class, `sql`, the dialects and adapters, the migrator), loaded from its
 * CommonJS build. Node 20 loads the ES-module build, 263 files, in about 0.2 s of CPU at every start of
 * `argmed serve`, `worker` or `eval`; the CommonJS build, the same code, in about 0.12 s (`npm run
 * bench:startup`: the ES-module loader's per-file resolution and linking is what costs). argmed takes every
 * kysely value from here and only types from 'kysely', so one copy of the library is loaded.
 */
import { createRequire } from 'node:module';

/** The `kysely` package (its CommonJS build), typed as its declarations. */
export const kysely = createRequire(import.meta.url)('kysely') as typeof import('kysely');
