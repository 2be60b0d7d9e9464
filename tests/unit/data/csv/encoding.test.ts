import { describe, expect, it } from 'vitest';
import { detectEncoding } from '../../../../src/lib/data/csv';
import { incompleteUtf8Tail } from '../../../../src/lib/data/csv/encoding';

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('detectEncoding', () => {
	it('recognises byte order marks', () => {
		expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({
			encoding: 'utf-8',
			bomLength: 3
		});
		expect(detectEncoding(bytes(0xff, 0xfe, 0x61, 0))).toEqual({
			encoding: 'utf-16le',
			bomLength: 2
		});
		expect(detectEncoding(bytes(0xfe, 0xff, 0, 0x61))).toEqual({
			encoding: 'utf-16be',
			bomLength: 2
		});
	});

	it('takes valid UTF-8 without a BOM as UTF-8, and an empty head too', () => {
		expect(detectEncoding(utf8('name\nZoë,José,Müller 😀\n'))).toEqual({
			encoding: 'utf-8',
			bomLength: 0
		});
		expect(detectEncoding(new Uint8Array(0)).encoding).toBe('utf-8');
	});

	it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
		// "Zoë" in Windows-1252: ë is the single byte 0xEB.
		expect(detectEncoding(bytes(0x5a, 0x6f, 0xeb, 0x0a, 0x41)).encoding).toBe('windows-1252');
	});

	it('does not mistake a sample cut inside a multi-byte character for Windows-1252', () => {
		const full = utf8('ab,Zoë😀');
		for (let cut = full.length - 1; cut > 3; cut--) {
			expect(detectEncoding(full.subarray(0, cut)).encoding).toBe('utf-8');
		}
	});

	it('spots BOM-less UTF-16 by its zero bytes', () => {
		const le = new Uint8Array(Buffer.from('name,score\nAna,3\n', 'utf16le'));
		expect(detectEncoding(le)).toEqual({ encoding: 'utf-16le', bomLength: 0 });
		const be = le.slice();
		for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
		expect(detectEncoding(be)).toEqual({ encoding: 'utf-16be', bomLength: 0 });
	});
});

describe('incompleteUtf8Tail', () => {
	it('counts the bytes of an unfinished sequence at the end', () => {
		const euro = utf8('€'); // 3 bytes
		expect(incompleteUtf8Tail(euro)).toBe(0);
		expect(incompleteUtf8Tail(euro.subarray(0, 2))).toBe(2);
		expect(incompleteUtf8Tail(euro.subarray(0, 1))).toBe(1);
		expect(incompleteUtf8Tail(utf8('ab'))).toBe(0);
		expect(incompleteUtf8Tail(utf8('😀').subarray(0, 3))).toBe(3);
	});
});
