/**
 * Just enough of the zip format to find a workbook's parts: the central directory says where
 * each entry starts and how long its compressed bytes are. Declared uncompressed sizes are kept
 * only for progress figures; every limit counts real inflated bytes (see limits.ts, inflate.ts).
 */
import type { ByteSource } from '../types';
import { corrupt, xlsUnsupported } from './errors';

export interface ZipEntry {
	/** Part name as stored, without a leading slash ("xl/worksheets/sheet1.xml"). */
	name: string;
	/** 0 stored, 8 deflate. */
	method: number;
	compressedSize: number;
	/** As declared by the zip; never trusted for limits. */
	declaredSize: number;
	localHeaderOffset: number;
	encrypted: boolean;
}

export interface ZipDirectory {
	entries: ZipEntry[];
	/** OPC part names are case-insensitive, so look-ups go through lower-cased names. */
	get(name: string): ZipEntry | undefined;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The central directory of any real workbook is a few KB; this bounds a hostile one. */
const MAX_DIRECTORY_BYTES = 32 * 1024 * 1024;
const MAX_ENTRIES = 100_000;

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
	return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

export function looksLikeZip(head: Uint8Array): boolean {
	return startsWith(head, ZIP_MAGIC) || startsWith(head, EMPTY_ZIP_MAGIC);
}

export function looksLikeOle2(head: Uint8Array): boolean {
	return startsWith(head, OLE2_MAGIC);
}

/**
 * Both .xls and password-protected .xlsx are OLE2 compound files; the latter stores its real
 * zip in a stream named "EncryptedPackage", whose name sits in the first directory sector.
 */
async function isEncryptedPackage(source: ByteSource, header: Uint8Array): Promise<boolean> {
	if (header.length < 0x34) return false;
	const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
	const sectorShift = view.getUint16(0x1e, true);
	if (sectorShift < 7 || sectorShift > 16) return false;
	const sectorSize = 1 << sectorShift;
	const firstDirSector = view.getUint32(0x30, true);
	const start = (firstDirSector + 1) * sectorSize;
	if (start >= source.size) return false;
	const dir = await source.read(start, start + sectorSize);
	const needle = 'EncryptedPackage';
	outer: for (let i = 0; i + needle.length * 2 <= dir.length; i += 128) {
		// Directory entries are 128 bytes each, starting with the UTF-16LE name.
		for (let k = 0; k < needle.length; k++) {
			if (dir[i + 2 * k] !== needle.charCodeAt(k) || dir[i + 2 * k + 1] !== 0) continue outer;
		}
		return true;
	}
	return false;
}

/** Throws the right AppException for anything that is not a zip. */
export async function checkMagic(source: ByteSource): Promise<void> {
	const head = await source.read(0, 512);
	if (looksLikeOle2(head))
		throw xlsUnsupported(source.name, await isEncryptedPackage(source, head));
	if (!looksLikeZip(head)) {
		throw corrupt(source.name, head.length === 0 ? 'empty file' : 'no zip signature');
	}
}

const utf8 = new TextDecoder('utf-8');

export async function readZipDirectory(source: ByteSource): Promise<ZipDirectory> {
	const bad = (reason: string) => corrupt(source.name, reason);
	const tailLen = Math.min(source.size, 22 + 0xffff);
	const tail = await source.read(source.size - tailLen, source.size);
	const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
	let eocd = -1;
	for (let i = tail.length - 22; i >= 0; i--) {
		if (tv.getUint32(i, true) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw bad('no end of central directory');
	let count = tv.getUint16(eocd + 10, true);
	let dirSize = tv.getUint32(eocd + 12, true);
	let dirOffset = tv.getUint32(eocd + 16, true);
	if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
		const loc = eocd - 20;
		if (loc < 0 || tv.getUint32(loc, true) !== 0x07064b50) throw bad('zip64 locator missing');
		const z64At = Number(tv.getBigUint64(loc + 8, true));
		const z = await source.read(z64At, z64At + 56);
		const zv = new DataView(z.buffer, z.byteOffset, z.byteLength);
		if (z.length < 56 || zv.getUint32(0, true) !== 0x06064b50) throw bad('zip64 record missing');
		count = Number(zv.getBigUint64(32, true));
		dirSize = Number(zv.getBigUint64(40, true));
		dirOffset = Number(zv.getBigUint64(48, true));
	}
	if (count > MAX_ENTRIES || dirSize > MAX_DIRECTORY_BYTES)
		throw bad('central directory too large');
	if (dirOffset + dirSize > source.size) throw bad('central directory outside the file');
	const dir = await source.read(dirOffset, dirOffset + dirSize);
	const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
	const entries: ZipEntry[] = [];
	let p = 0;
	for (let n = 0; n < count; n++) {
		if (p + 46 > dir.length || dv.getUint32(p, true) !== 0x02014b50) {
			throw bad(`central directory entry ${n} malformed`);
		}
		const flags = dv.getUint16(p + 8, true);
		const method = dv.getUint16(p + 10, true);
		let compressedSize = dv.getUint32(p + 20, true);
		let declaredSize = dv.getUint32(p + 24, true);
		const nameLen = dv.getUint16(p + 28, true);
		const extraLen = dv.getUint16(p + 30, true);
		const commentLen = dv.getUint16(p + 32, true);
		let localHeaderOffset = dv.getUint32(p + 42, true);
		const nameEnd = p + 46 + nameLen;
		if (nameEnd + extraLen + commentLen > dir.length) throw bad('central directory truncated');
		const name = utf8.decode(dir.subarray(p + 46, nameEnd)).replace(/^\/+/, '');
		// Zip64 sizes and offsets live in extra field 0x0001, in this order, only when needed.
		for (let e = nameEnd; e + 4 <= nameEnd + extraLen;) {
			const id = dv.getUint16(e, true);
			const len = dv.getUint16(e + 2, true);
			if (id === 0x0001) {
				let q = e + 4;
				const next = (): number => {
					if (q + 8 > e + 4 + len) throw bad('zip64 extra field truncated');
					const v = Number(dv.getBigUint64(q, true));
					q += 8;
					return v;
				};
				if (declaredSize === 0xffffffff) declaredSize = next();
				if (compressedSize === 0xffffffff) compressedSize = next();
				if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
			}
			e += 4 + len;
		}
		entries.push({
			name,
			method,
			compressedSize,
			declaredSize,
			localHeaderOffset,
			encrypted: (flags & 1) !== 0
		});
		p = nameEnd + extraLen + commentLen;
	}
	const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
	return { entries, get: (name) => byName.get(name.replace(/^\/+/, '').toLowerCase()) };
}

/** Where an entry's compressed bytes start; the local header's own lengths may differ. */
export async function entryDataRange(
	source: ByteSource,
	entry: ZipEntry
): Promise<{ start: number; end: number }> {
	const h = await source.read(entry.localHeaderOffset, entry.localHeaderOffset + 30);
	const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
	if (h.length < 30 || hv.getUint32(0, true) !== 0x04034b50) {
		throw corrupt(source.name, `local header of ${entry.name} missing`);
	}
	const start = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
	// A declared compressed size past the end of the file is a lie; inflate will say if the
	// stream really is cut short.
	const end = Math.min(start + entry.compressedSize, source.size);
	if (start > end) throw corrupt(source.name, `data of ${entry.name} outside the file`);
	return { start, end };
}
