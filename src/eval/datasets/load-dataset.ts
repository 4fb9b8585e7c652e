/**
 * Loads a dataset by name and slices it: the one entry point the runner, the CLI and the API use.
 */
import { EvaluationError } from '../errors.js';
import { DATASETS, type DatasetName, type LoadedDataset, type SliceOptions } from '../types.js';
import { loadCasimedicos } from './casimedicos-arg.js';
import { loadGenericJsonl } from './generic-jsonl.js';
import { loadMedqaJsonl } from './medqa-jsonl.js';
import { loadPubmedqa } from './pubmedqa.js';
import { sliceItems } from './slice-items.js';

/**
 * Reads `file` with the adapter of `dataset`, then applies the slice. `total` counts valid records before
 * slicing; `problems` lists the malformed ones (skipped).
 * @throws EvaluationError for an unknown dataset name or a missing file.
 */
export async function loadDataset(dataset: string, file: string, slice: SliceOptions = {}): Promise<LoadedDataset> {
  const loaded = await read(dataset, file);
  return { ...loaded, items: sliceItems(loaded.items, slice) };
}

function read(dataset: string, file: string): Promise<LoadedDataset> {
  switch (dataset as DatasetName) {
    case 'medqa':
      return loadMedqaJsonl(file);
    case 'pubmedqa':
      return loadPubmedqa(file);
    case 'casimedicos':
      return loadCasimedicos(file);
    case 'jsonl':
      return loadGenericJsonl(file);
    default:
      throw new EvaluationError(
        'ARGMED_EVAL_UNKNOWN_DATASET',
        `unknown dataset "${dataset}"; use one of ${DATASETS.join(', ')} (medqa also reads MedMCQA and MMLU files)`,
      );
  }
}
