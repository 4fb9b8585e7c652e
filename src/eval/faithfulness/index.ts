export { type GraphFaithfulness, graphFaithfulness } from './graph-faithfulness.js';
export { labelSubgraph } from './label-subgraph.js';
export { type DeliberationProbes, type ProbeSettings, probeDeliberation } from './probe-deliberation.js';
export { type FaithfulnessSummary, summariseFaithfulness } from './summarise-faithfulness.js';
