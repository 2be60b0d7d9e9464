/**
 * Pseudonyms for student identifiers in exports. A pseudonym is "S-" and the first 8 hex digits
 * of HMAC-SHA-256(key = this device's salt, message = the identifier):
 *   - stable: the same student gets the same pseudonym in every export from this device, so
 *     exports can be joined with each other;
 *   - keyed: the salt is 16 random bytes made once per device and kept in settings (never
 *     exported), so someone holding an export cannot rebuild the mapping by hashing a class list;
 *   - short: 32 bits is plenty to tell a class apart (two students in 1,000 share one with a
 *     chance of about 1 in 10,000) but not meant as a unique key across a whole school.
 * Deleting everything (or the settings) makes a new salt, hence new pseudonyms.
 *
 * crypto.subtle only exists in secure contexts; a dev server reached over plain http on the LAN
 * is not one, so a small SHA-256 below gives the same digests there.
 */
import type { ClasslensDB } from './schema';
import { toStorageException } from './storage-errors';

declare module './settings' {
	interface SettingsMap {
		/** Hex of 16 random bytes, the key of the export pseudonyms (pseudonym.ts). */
		'privacy.pseudonymSalt': string;
	}
}

const SALT_KEY = 'privacy.pseudonymSalt';
const SALT_BYTES = 16;

function toHex(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new random salt (hex). */
export function newSalt(): string {
	return toHex(globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
}

/**
 * This device's salt, made and stored on first use. Read and created in one transaction, so the
 * worker and a tab asking at the same moment cannot end up with two different salts.
 */
export async function getPseudonymSalt(db: ClasslensDB): Promise<string> {
	try {
		return await db.transaction('rw', db.settings, async () => {
			const rec = await db.settings.get(SALT_KEY);
			if (rec && typeof rec.value === 'string' && /^[0-9a-f]{32}$/.test(rec.value)) {
				return rec.value;
			}
			const salt = newSalt();
			await db.settings.put({ key: SALT_KEY, value: salt });
			return salt;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

// --- SHA-256 (FIPS 180-4), for contexts without crypto.subtle ---------------------------------

const K = new Uint32Array([
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** SHA-256 of `data`; plain TypeScript, for short messages (a salt and an identifier). */
export function sha256(data: Uint8Array): Uint8Array {
	const bitLen = data.length * 8;
	const padded = new Uint8Array((((data.length + 9 + 63) >> 6) << 6) >>> 0);
	padded.set(data);
	padded[data.length] = 0x80;
	const view = new DataView(padded.buffer);
	// Messages here are far below 2^32 bits: the high word of the length stays 0.
	view.setUint32(padded.length - 4, bitLen >>> 0);
	view.setUint32(padded.length - 8, Math.floor(bitLen / 2 ** 32));
	const h = new Uint32Array([
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	]);
	const w = new Uint32Array(64);
	for (let off = 0; off < padded.length; off += 64) {
		for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
		for (let i = 16; i < 64; i++) {
			const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
			const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
			w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
		}
		let [a, b, c, d, e, f, g, hh] = h;
		for (let i = 0; i < 64; i++) {
			const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
			const ch = (e & f) ^ (~e & g);
			const t1 = (hh + S1 + ch + K[i] + w[i]) | 0;
			const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
			const maj = (a & b) ^ (a & c) ^ (b & c);
			const t2 = (S0 + maj) | 0;
			hh = g;
			g = f;
			f = e;
			e = (d + t1) | 0;
			d = c;
			c = b;
			b = a;
			a = (t1 + t2) | 0;
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
		h[5] += f;
		h[6] += g;
		h[7] += hh;
	}
	const out = new Uint8Array(32);
	const ov = new DataView(out.buffer);
	for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]);
	return out;
}

/** HMAC-SHA-256 (RFC 2104) with the plain-TypeScript hash. */
export function hmacSha256Sync(key: Uint8Array, message: Uint8Array): Uint8Array {
	const block = new Uint8Array(64);
	block.set(key.length > 64 ? sha256(key) : key);
	const inner = new Uint8Array(64 + message.length);
	const outer = new Uint8Array(64 + 32);
	for (let i = 0; i < 64; i++) {
		inner[i] = block[i] ^ 0x36;
		outer[i] = block[i] ^ 0x5c;
	}
	inner.set(message, 64);
	outer.set(sha256(inner), 64);
	return sha256(outer);
}

const encoder = new TextEncoder();

/** HMAC-SHA-256 through crypto.subtle where it exists, else the plain-TypeScript one. */
export async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
	const subtle = globalThis.crypto?.subtle;
	if (subtle) {
		try {
			const k = await subtle.importKey(
				'raw',
				key as Uint8Array<ArrayBuffer>,
				{ name: 'HMAC', hash: 'SHA-256' },
				false,
				['sign']
			);
			return new Uint8Array(await subtle.sign('HMAC', k, message as Uint8Array<ArrayBuffer>));
		} catch {
			// Some browsers expose subtle but refuse it outside secure contexts.
		}
	}
	return hmacSha256Sync(key, message);
}

/** A pseudonymiser bound to one salt; caches results so a long log hashes each student once. */
export function pseudonymiser(salt: string): (id: string) => Promise<string> {
	const key = encoder.encode(salt);
	const cache = new Map<string, Promise<string>>();
	return (id) => {
		let p = cache.get(id);
		if (!p) {
			p = hmacSha256(key, encoder.encode(id)).then((d) => `S-${toHex(d.subarray(0, 4))}`);
			cache.set(id, p);
		}
		return p;
	};
}

/** The pseudonym of one identifier, e.g. "S-3f9a1c2b". */
export async function pseudonym(salt: string, id: string): Promise<string> {
	return pseudonymiser(salt)(id);
}
