import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { getSetting } from '$lib/db';
import {
	getPseudonymSalt,
	hmacSha256,
	hmacSha256Sync,
	newSalt,
	pseudonym,
	pseudonymiser,
	sha256
} from '$lib/db/pseudonym';
import { freshDb } from './helpers';

let close = () => {};
afterEach(() => {
	vi.unstubAllGlobals();
	close();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('SHA-256 and HMAC fallback', () => {
	it('matches the FIPS 180-4 and RFC 4231 test vectors', () => {
		expect(hex(sha256(utf8('')))).toBe(
			'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
		);
		expect(hex(sha256(utf8('abc')))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
		expect(hex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
		);
		// RFC 4231 test cases 1 and 2.
		expect(hex(hmacSha256Sync(new Uint8Array(20).fill(0x0b), utf8('Hi There')))).toBe(
			'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'
		);
		expect(hex(hmacSha256Sync(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe(
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
		);
		// Test case 6: a key longer than the block is hashed first.
		expect(
			hex(
				hmacSha256Sync(
					new Uint8Array(131).fill(0xaa),
					utf8('Test Using Larger Than Block-Size Key - Hash Key First')
				)
			)
		).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
	});

	it('gives the same digest as crypto.subtle (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ maxLength: 150 }),
				fc.uint8Array({ maxLength: 300 }),
				async (key, msg) => {
					expect(hex(await hmacSha256(key, msg))).toBe(hex(hmacSha256Sync(key, msg)));
				}
			),
			{ numRuns: 50 }
		);
	});
});

describe('pseudonyms', () => {
	it('are short, stable for a salt, different across salts and ids, even without crypto.subtle', async () => {
		const a = await pseudonym('00112233445566778899aabbccddeeff', 'S0001');
		expect(a).toMatch(/^S-[0-9a-f]{8}$/);
		expect(await pseudonym('00112233445566778899aabbccddeeff', 'S0001')).toBe(a);
		expect(await pseudonym('ffeeddccbbaa99887766554433221100', 'S0001')).not.toBe(a);
		expect(await pseudonym('00112233445566778899aabbccddeeff', 'S0002')).not.toBe(a);
		vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(crypto) });
		expect(await pseudonymiser('00112233445566778899aabbccddeeff')('S0001')).toBe(a);
	});

	it('keeps one salt per device, made on first use', async () => {
		const f = freshDb();
		close = f.close;
		expect(await getSetting(f.db, 'privacy.pseudonymSalt', '')).toBe('');
		const [s1, s2] = await Promise.all([getPseudonymSalt(f.db), getPseudonymSalt(f.db)]);
		expect(s1).toMatch(/^[0-9a-f]{32}$/);
		expect(s2).toBe(s1);
		expect(await getPseudonymSalt(f.db)).toBe(s1);
		expect(newSalt()).not.toBe(newSalt());
	});
});
