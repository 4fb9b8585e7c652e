/**
 * Opens a file a CLI command was given to read, refusing before any read what could never end or would not
 * fit: anything that is not a regular file (a device such as /dev/zero, a FIFO, a socket, a directory) and a
 * regular file past the command's size limit. The check is made on the opened handle (fstat), so the file
 * that was checked is the file that is read; a file that grows past the limit while it is read is caught by
 * the readers' byte budget (`readInputFile`, and `argmed solve`'s chunked reader).
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Why an input file was refused, worded for the user (the caller adds the file name). */
export class InputFileError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InputFileError';
  }
}

/** An opened input file and its size at open time. */
export interface InputFile {
  handle: FileHandle;
  size: number;
}

/** "1.5 GB", "32 MB": sizes as a user reads them. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GB`;
  return `${(bytes / 1024 ** 2).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The refusal of a file (or of its bytes read so far) past the limit. */
export function tooLarge(size: number, maxBytes: number): InputFileError {
  return new InputFileError(
    `the file is ${describeBytes(size)} or more; the limit is ${describeBytes(maxBytes)}`,
  );
}

/**
 * Opens a regular file for reading.
 * @param maxBytes the largest size accepted
 * @throws InputFileError for a missing or unreadable path, a non-regular file, or a file past `maxBytes`
 */
export async function openInputFile(path: string, maxBytes: number): Promise<InputFile> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever before fstat can refuse it.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(
      code === 'ENOENT' ? 'no such file' : `cannot open the file (${code ?? 'unknown error'})`,
    );
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputFileError('is a directory, not a file');
    if (!info.isFile()) {
      const kind =
        info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isFIFO() ? 'a pipe' : 'a socket';
      throw new InputFileError(`is ${kind}, not a regular file; save the content to a file and pass that`);
    }
    if (info.size > maxBytes) throw tooLarge(info.size, maxBytes);
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads a whole regular file, at most `maxBytes` (a file that grows past it while read is refused too).
 * @throws InputFileError as {@link openInputFile}
 */
export async function readInputFile(path: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openInputFile(path, maxBytes);
  try {
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // The file grew since it was opened: keep reading, up to one byte past the limit.
        const larger = Buffer.allocUnsafe(Math.min(maxBytes + 1, 2 * buffer.length + 65_536));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) return buffer.subarray(0, length);
      length += bytesRead;
      if (length > maxBytes) throw tooLarge(length, maxBytes);
    }
  } finally {
    await handle.close();
  }
}
