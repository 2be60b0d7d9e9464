/**
 * A ByteSource over a Node file handle: the importer asks for byte ranges and gets exactly
 * those, so a 300 MB CSV is never read into memory whole — the same contract a browser File
 * meets through Blob.slice (src/lib/data/blob-source.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AppException } from '../lib/errors';
import type { ByteSource } from '../lib/data/types';
import { describeFsError } from './files';

export interface FileSource extends ByteSource {
	/** Releases the handle; reads after this fail. Safe to call twice. */
	close(): Promise<void>;
}

const READ_REASONS: Record<string, string> = {
	ENOENT: 'the file does not exist',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'that path is a folder',
	EIO: 'the disk reported a read error'
};

function unreadable(name: string, e: unknown): AppException {
	return new AppException({
		code: 'file-unreadable',
		message: `Could not read ${name}: ${describeFsError(e, READ_REASONS)}.`,
		details: { file: name, error: e instanceof Error ? e.message : String(e) }
	});
}

/**
 * Opens `path` for range reads. `name` is how messages refer to the file (default: the path as
 * the user typed it, which is what they will look for).
 */
export async function openFileSource(path: string, name: string = path): Promise<FileSource> {
	let handle: FileHandle;
	try {
		handle = await open(path, 'r');
	} catch (e) {
		throw unreadable(name, e);
	}
	let size: number;
	try {
		const stat = await handle.stat();
		// Opening a folder succeeds on Linux; only the first read fails, with a vaguer error.
		if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
		size = stat.size;
	} catch (e) {
		await handle.close();
		throw unreadable(name, e);
	}
	let closed = false;
	return {
		name,
		size,
		async read(start: number, end: number): Promise<Uint8Array> {
			const from = Math.max(0, Math.min(start, size));
			const to = Math.max(from, Math.min(end, size));
			const out = new Uint8Array(to - from);
			let filled = 0;
			try {
				// A read may return fewer bytes than asked (pipes, network disks): loop until done.
				while (filled < out.length) {
					const { bytesRead } = await handle.read(out, filled, out.length - filled, from + filled);
					if (bytesRead === 0) break;
					filled += bytesRead;
				}
			} catch (e) {
				throw unreadable(name, e);
			}
			// The file shrank under us: hand back what exists rather than zeros.
			return filled === out.length ? out : out.subarray(0, filled);
		},
		async close(): Promise<void> {
			if (closed) return;
			closed = true;
			await handle.close();
		}
	};
}
