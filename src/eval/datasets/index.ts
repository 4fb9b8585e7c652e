export { casimedicosItem, loadCasimedicos, relationsPathFor } from './casimedicos-arg.js';
export { genericItem, loadGenericJsonl } from './generic-jsonl.js';
export { loadDataset } from './load-dataset.js';
export { loadMedqaJsonl, medqaItem } from './medqa-jsonl.js';
export { loadPubmedqa, pubmedqaItem } from './pubmedqa.js';
export { sliceItems } from './slice-items.js';
