/** The 400 of a framework that cannot be read, naming the field at fault. */
import { fieldError } from '../../http/problem.js';

/**
 * Throws `ARGMED_INVALID_FRAMEWORK` with the field's path in `detail` and in `errors`.
 * @param path the field, `body/attacks/3/1`
 */
export function invalidField(path: string, message: string): never {
  throw fieldError('ARGMED_INVALID_FRAMEWORK', path, message);
}
