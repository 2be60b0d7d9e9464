/**
 * Streams one zip entry through fflate's incremental Inflate. Compressed bytes go in small
 * pieces because deflate expands at most ~1030×: an 8 KB piece yields at most ~8 MB, and the
 * budget is checked on every piece before anything is decoded, so a bomb is stopped after a few
 * megabytes whatever the zip headers claim.
 */
import { Inflate } from 'fflate';
import type { CancelToken } from '../../ml/progress';
import type { ByteSource } from '../types';
import { corrupt } from './errors';
import type { Budget } from './limits';
import { XmlScanner, XmlSyntaxError, type XmlHandler } from './xml';
import { entryDataRange, type ZipEntry } from './zip';

const READ_BYTES = 64 * 1024;
const PUSH_BYTES = 8 * 1024;

export interface EntryContext {
	source: ByteSource;
	budget: Budget;
	cancel?: CancelToken;
}

export interface StreamOptions {
	/** Compressed bytes of this entry consumed so far, and the entry's compressed size. */
	onProgress?: (done: number, total: number) => void;
}

/**
 * Feeds the entry's inflated bytes to `onData` until the end or until it returns false.
 * Errors thrown by `onData` (including the budget's) pass through unchanged; anything fflate
 * throws means the data is damaged.
 */
export async function streamEntry(
	ctx: EntryContext,
	entry: ZipEntry,
	onData: (chunk: Uint8Array) => boolean | void,
	opts: StreamOptions = {}
): Promise<void> {
	const { source, budget } = ctx;
	if (entry.encrypted) {
		throw corrupt(source.name, `${entry.name} is encrypted inside the zip`);
	}
	if (entry.method !== 0 && entry.method !== 8) {
		throw corrupt(source.name, `${entry.name} uses zip method ${entry.method}`);
	}
	const { start, end } = await entryDataRange(source, entry);
	const total = end - start;
	let consumed = 0;
	let inflated = 0;
	let stop = false;
	let failure: unknown = undefined;

	const deliver = (chunk: Uint8Array): void => {
		if (stop || chunk.length === 0) return;
		try {
			inflated += chunk.length;
			budget.addInflated(chunk.length, inflated, consumed, entry.name);
			if (onData(chunk) === false) stop = true;
		} catch (e) {
			failure = e;
			stop = true;
		}
	};
	const inflater =
		entry.method === 8 ? new Inflate((chunk: Uint8Array) => deliver(chunk)) : undefined;

	for (let pos = start; pos < end && !stop;) {
		ctx.cancel?.throwIfCancelled();
		const bytes = await source.read(pos, Math.min(pos + READ_BYTES, end));
		if (bytes.length === 0) throw corrupt(source.name, `${entry.name} cut short`);
		for (let i = 0; i < bytes.length && !stop; i += PUSH_BYTES) {
			const piece = bytes.subarray(i, i + PUSH_BYTES);
			consumed += piece.length;
			if (!inflater) {
				deliver(piece);
				continue;
			}
			try {
				inflater.push(piece, pos + i + piece.length >= end);
			} catch (e) {
				if (failure === undefined) {
					throw corrupt(
						source.name,
						`${entry.name}: ${e instanceof Error ? e.message : String(e)}`
					);
				}
			}
			if (failure !== undefined) break;
		}
		if (failure !== undefined) throw failure;
		pos += bytes.length;
		opts.onProgress?.(consumed, total);
	}
	if (failure !== undefined) throw failure;
	if (inflater && total === 0) inflater.push(new Uint8Array(0), true);
}

/** UTF-8 unless the part starts with a UTF-16 byte order mark (allowed by OPC, rare). */
function decoderFor(first: Uint8Array): TextDecoder {
	if (first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le');
	if (first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be');
	return new TextDecoder('utf-8');
}

/**
 * Tokenizes an XML entry as it inflates. The handler may call `stop()` to end early (a
 * preview's maxRows, or listSheets once it has seen <dimension>).
 */
export async function scanEntry(
	ctx: EntryContext,
	entry: ZipEntry,
	makeHandler: (stop: () => void) => XmlHandler,
	opts: StreamOptions = {}
): Promise<void> {
	let scanner: XmlScanner | undefined = undefined;
	const handler = makeHandler(() => scanner?.stop());
	const s = new XmlScanner(handler);
	scanner = s;
	let decoder: TextDecoder | undefined;
	try {
		await streamEntry(
			ctx,
			entry,
			(chunk) => {
				decoder ??= decoderFor(chunk);
				s.push(decoder.decode(chunk, { stream: true }));
				return !s.stopped;
			},
			opts
		);
		if (!s.stopped) {
			if (decoder) s.push(decoder.decode());
			s.end();
		}
	} catch (e) {
		if (e instanceof XmlSyntaxError) throw corrupt(ctx.source.name, `${entry.name}: ${e.message}`);
		throw e;
	}
}
