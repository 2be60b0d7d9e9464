/**
 * A ByteSource over a Blob (a File the teacher picked, sent to the worker). Blob.slice is a
 * view, not a copy, so a 300 MB file is read a few megabytes at a time.
 */
import type { ByteSource } from './types';

export function blobSource(blob: Blob, name: string): ByteSource {
	return {
		name,
		size: blob.size,
		read: async (start, end) =>
			new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer())
	};
}
