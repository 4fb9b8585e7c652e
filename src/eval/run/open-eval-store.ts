/**
 * Opens the store for evaluation commands and brings it up to date (migrations, including the
 * evaluation tables). The caller closes it.
 */
import type { Config } from '../../config.js';
import { migrateToLatest } from '../../store/migrate-to-latest.js';
import { type OpenStoreOptions, openStore, type Store } from '../../store/open-store.js';

/** @throws the store's errors (StoreError with a code) when the database cannot be opened or migrated. */
export async function openEvalStore(config: Pick<Config, 'databaseUrl'>, options: OpenStoreOptions = {}): Promise<Store> {
  const store = await openStore(config, options);
  try {
    await migrateToLatest(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
