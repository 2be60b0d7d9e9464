/** File output shared by the commands: atomic writes and error reasons a person can act on. */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './command';

const FS_REASONS: Record<string, string> = {
	ENOENT: 'the folder does not exist',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'that path is a folder',
	ENOSPC: 'the disk is full',
	EROFS: 'the disk is read-only'
};

export function describeFsError(e: unknown, reasons: Record<string, string> = FS_REASONS): string {
	const code = (e as NodeJS.ErrnoException).code;
	if (code && reasons[code]) return `${reasons[code]} (${code})`;
	return e instanceof Error ? e.message : String(e);
}

/** Resolves a path the user typed against the command's working directory. */
export function resolvePath(io: CliIo, path: string): string {
	return resolve(io.cwd ?? process.cwd(), path);
}

/** Writes beside the target and renames, so a failed run never leaves half a file behind. */
export function writeFileAtomically(path: string, chunks: Iterable<string>): void {
	const temp = `${path}.${process.pid}.tmp`;
	let fd: number | null = openSync(temp, 'w');
	try {
		for (const chunk of chunks) writeSync(fd, chunk);
		closeSync(fd);
		fd = null;
		renameSync(temp, path);
	} catch (e) {
		if (fd !== null) closeSync(fd);
		rmSync(temp, { force: true });
		throw e;
	}
}
