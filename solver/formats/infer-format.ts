/**
 * Infers a framework file's format from its extension: `.af`, `.i23`, `.iccma` are ICCMA 2023, `.apx`
 * is APX, `.tgf` is TGF (case-insensitive).
 */
import type { ReadableFormat } from '../types.js';

const BY_EXTENSION: Record<string, ReadableFormat> = {
  af: 'i23',
  i23: 'i23',
  iccma: 'i23',
  apx: 'apx',
  tgf: 'tgf',
};

/** The formats a reader exists for, with the extensions that select them. */
export const READABLE_FORMATS: Readonly<Record<ReadableFormat, readonly string[]>> = {
  i23: ['.af', '.i23', '.iccma'],
  apx: ['.apx'],
  tgf: ['.tgf'],
};

/** Returns the format of `fileName` by extension, or undefined when the extension is not known. */
export function inferFormat(fileName: string): ReadableFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0 || dot < fileName.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()];
}

/** True when `name` is one of the readable formats (`i23`, `apx`, `tgf`). */
export function isReadableFormat(name: string): name is ReadableFormat {
  return Object.hasOwn(READABLE_FORMATS, name);
}
