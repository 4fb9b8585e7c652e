/**
 * Writes a framework in any supported format by name: the single entry point for exports.
 */
import type { Framework, FrameworkWriter, GroundedLabelling, WritableFormat } from '../types.js';
import { writeApx } from './apx.js';
import { writeDot } from './dot.js';
import { writeIccma } from './iccma.js';
import { writeJson } from './json.js';
import { writeTgf } from './tgf.js';

/** The writer of each format. */
export const FRAMEWORK_WRITERS: Readonly<Record<WritableFormat, FrameworkWriter>> = {
  i23: writeIccma,
  apx: writeApx,
  tgf: writeTgf,
  dot: writeDot,
  json: writeJson,
};

/**
 * Writes `af` in `format` (`i23`, `apx`, `tgf`, `dot`, `json`); the labelling shows in DOT and JSON.
 * @throws SolverError SOLVER_UNWRITABLE_NAME when a name cannot be written in the format (TGF)
 */
export function writeFramework(af: Framework, format: WritableFormat, labelling?: GroundedLabelling): string {
  return FRAMEWORK_WRITERS[format](af, labelling);
}
