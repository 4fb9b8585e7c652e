/**
 * Contracts of the solver layer: the framework over integer ids, the grounded labelling, and the
 * reader/writer signatures every file format implements. Implementations import these types and never
 * each other, so a new format or semantics is one new file.
 */

/** The three-valued status of an argument under a complete labelling. */
export type Label = 'IN' | 'OUT' | 'UNDEC';

/** Byte codes stored in {@link GroundedLabelling.labels}; UNDEC is 0 so a fresh Uint8Array is all UNDEC. */
export const LABEL_UNDEC = 0;
/** Byte code of IN in {@link GroundedLabelling.labels}. */
export const LABEL_IN = 1;
/** Byte code of OUT in {@link GroundedLabelling.labels}. */
export const LABEL_OUT = 2;

/** Label names indexed by their byte code. */
export const LABEL_NAMES: readonly Label[] = ['UNDEC', 'IN', 'OUT'];

/**
 * An abstract argumentation framework (Dung 1995) over arguments 0..count-1.
 * Attacks are kept twice in compressed rows (CSR): the attackers of `a` are
 * `attackers[attackerStart[a] .. attackerStart[a+1])` and its targets are
 * `targets[targetStart[a] .. targetStart[a+1])`. Duplicate attacks are already collapsed.
 */
export interface Framework {
  /** Number of arguments; ids run from 0 to count-1. */
  readonly count: number;
  /** Display name of every argument (materialised on first access for ICCMA files, whose names are 1..N). */
  readonly names: readonly string[];
  /** Number of distinct attacks. */
  readonly attackCount: number;
  /** Row offsets into {@link attackers}, length count+1. */
  readonly attackerStart: Uint32Array;
  /** Attacker ids grouped by target, each row in increasing id order. */
  readonly attackers: Uint32Array;
  /** Row offsets into {@link targets}, length count+1. */
  readonly targetStart: Uint32Array;
  /** Target ids grouped by attacker. */
  readonly targets: Uint32Array;
  /** True when the names are the ICCMA ids "1".."N" (argument i is named i+1). */
  readonly numericNames: boolean;
  /** The attackers of `arg` (a view, no copy). O(1). */
  attackersOf(arg: number): Uint32Array;
  /** The arguments `arg` attacks (a view, no copy). O(1). */
  targetsOf(arg: number): Uint32Array;
  /** The name of one argument without materialising {@link names}. O(1). */
  nameOf(arg: number): string;
  /** The id of a named argument, or undefined. The name index is built once, on first call. */
  idOf(name: string): number | undefined;
}

/**
 * The grounded labelling of a framework: IN is the grounded extension, OUT what it attacks,
 * UNDEC the rest.
 */
export interface GroundedLabelling {
  /** One byte per argument: {@link LABEL_IN}, {@link LABEL_OUT} or {@link LABEL_UNDEC}. */
  readonly labels: Uint8Array;
  /** The settled (IN or OUT) arguments in the order the solver settled them. */
  readonly order: Int32Array;
  /** The label of one argument. */
  label(arg: number): Label;
  /** The grounded extension in increasing id order. */
  inArguments(): number[];
}

/** File formats the readers understand. */
export type ReadableFormat = 'i23' | 'apx' | 'tgf';

/** File formats the writers produce. */
export type WritableFormat = ReadableFormat | 'dot' | 'json';

/** Anything a reader accepts: the whole text, a Node stream, or chunks from any async source. */
export type FrameworkSource = string | NodeJS.ReadableStream | AsyncIterable<string | Buffer | Uint8Array>;

/** Options every reader accepts. */
export interface ReadOptions {
  /** Size of the source in bytes when known (a file): lets a reader size its arrays once. */
  sizeHint?: number;
  /**
   * The most arguments accepted; a framework declaring more fails before anything is allocated for them
   * (`SOLVER_TOO_MANY_ARGUMENTS`). A service sets it: an ICCMA header of a few bytes can declare billions.
   * Read by the ICCMA reader; APX and TGF need a line for each argument, so their size bounds the count.
   */
  maxArguments?: number;
}

/** The contract of a streaming reader; `fileName` only labels error messages. */
export type FrameworkReader = (
  source: FrameworkSource,
  fileName?: string,
  options?: ReadOptions,
) => Promise<Framework>;

/** The contract of a writer: the whole file as one string (labelling used where the format can show it). */
export type FrameworkWriter = (af: Framework, labelling?: GroundedLabelling) => string;

/** One step of a justification: `attacker` (OUT) attacks the justified argument or a defender and is defeated by `defeater` (IN). */
export interface JustificationStep {
  readonly attacker: number;
  readonly defeater: number;
}

/** Decision problems of the ICCMA solver interface that the solver answers. */
export type Problem = 'SE-GR' | 'DC-GR' | 'DS-GR';
