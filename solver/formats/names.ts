/**
 * Name table shared by the readers of named formats (APX, TGF): gives each name an id on first sight,
 * remembers which names were declared and where an undeclared one was first used, and finally renumbers
 * the arguments in declaration order so output follows the file.
 */
import { EdgeList } from '../edge-list.js';
import { SolverFormatError } from '../errors.js';
import { frameworkFromEdges } from '../framework.js';
import type { Framework } from '../types.js';

/** Names seen while reading, with declaration status. */
export class NameTable {
  private readonly ids = new Map<string, number>();
  private readonly declaredOrder: number[] = [];
  private readonly declared: boolean[] = [];
  private readonly firstUse: number[] = [];
  private readonly names: string[] = [];

  /** The provisional id of `name`, created on first sight; `line` records where it was used. */
  use(name: string, line: number): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.declared.push(false);
      this.firstUse.push(line);
    }
    return id;
  }

  /** Declares `name` as an argument (declaring twice is harmless, as in ASP). */
  declare(name: string, line: number): number {
    const id = this.use(name, line);
    if (!this.declared[id]) {
      this.declared[id] = true;
      this.declaredOrder.push(id);
    }
    return id;
  }

  /**
   * Builds the framework, renumbering ids in declaration order.
   * @throws SolverFormatError SOLVER_UNDECLARED_ARGUMENT at the first line using an undeclared name
   */
  build(edges: EdgeList, file: string, what: string): Framework {
    let worst = -1;
    for (let id = 0; id < this.names.length; id++) {
      if (!this.declared[id] && (worst < 0 || this.firstUse[id] < this.firstUse[worst])) worst = id;
    }
    if (worst >= 0) {
      throw new SolverFormatError(
        'SOLVER_UNDECLARED_ARGUMENT',
        file,
        this.firstUse[worst],
        `attack names ${JSON.stringify(this.names[worst])}, which is not declared as ${what}`,
      );
    }
    const count = this.declaredOrder.length;
    const finalId = new Uint32Array(count);
    const names = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      finalId[this.declaredOrder[i]] = i;
      names[i] = this.names[this.declaredOrder[i]];
    }
    const renumbered = new EdgeList(edges.length);
    for (let e = 0; e < edges.length; e++) renumbered.push(finalId[edges.from(e)], finalId[edges.to(e)]);
    return frameworkFromEdges(count, renumbered, names);
  }
}
