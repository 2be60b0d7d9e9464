import { describe, expect, it } from 'vitest';
import { sniffCsv, sniffDialect } from '../../../../src/lib/data/csv';
import { detectNewline } from '../../../../src/lib/data/csv/sniff';
import { fixture, textSource } from './helpers';

describe('sniffDialect', () => {
	it('finds each delimiter', () => {
		expect(sniffDialect('a,b,c\n1,2,3\n4,5,6\n')).toEqual({ delimiter: ',', decimal: '.' });
		expect(sniffDialect('a;b;c\n1;2;3\n').delimiter).toBe(';');
		expect(sniffDialect('a\tb\tc\n1\t2\t3\n').delimiter).toBe('\t');
		expect(sniffDialect('a|b|c\n1|2|3\n').delimiter).toBe('|');
	});

	it('picks the delimiter that gives consistent field counts, not the most frequent one', () => {
		// Commas outnumber semicolons, but only semicolons split every line the same way.
		const text = 'name;score;note\nAna;12,5;a, b, c, d\nBo;7,25;x\nCy;10;y, z\n';
		expect(sniffDialect(text)).toEqual({ delimiter: ';', decimal: ',' });
	});

	it('respects quotes when counting fields', () => {
		const text = 'name,comment\n"Smith; J","a;b;c"\n"Doe; K","d;e"\n';
		expect(sniffDialect(text).delimiter).toBe(',');
	});

	it('keeps dot decimals for comma files, and comma decimals for semicolon files', () => {
		expect(sniffDialect('a,b\n1.5,2.25\n3.5,4\n').decimal).toBe('.');
		expect(sniffDialect('a;b\n1,5;2,25\n3,5;4\n').decimal).toBe(',');
		expect(sniffDialect('a;b\n1.234,5;2\n').decimal).toBe(',');
	});

	it('treats a one-column file as one column even when values hold commas', () => {
		const d = sniffDialect('score\n12,5\n13\n14,25\n');
		expect(d.delimiter).not.toBe(',');
		expect(d.decimal).toBe(',');
	});

	it('copes with a sample whose last line was cut off', () => {
		expect(sniffDialect('a;b;c\n1;2;3\n4;5;6\n7;"unfinish').delimiter).toBe(';');
	});
});

describe('detectNewline', () => {
	it('tells LF, CRLF, lone CR and mixed files apart, ignoring quoted line breaks', () => {
		expect(detectNewline('a\nb\n')).toEqual({ newline: '\n', mixed: false });
		expect(detectNewline('a\r\nb\r\n')).toEqual({ newline: '\r\n', mixed: false });
		expect(detectNewline('a\rb\r')).toEqual({ newline: '\r', mixed: false });
		expect(detectNewline('a\r\nb\nc\r\n')).toEqual({ newline: '\n', mixed: true });
		expect(detectNewline('a,"x\ny\nz"\r\nb,c\r\n')).toEqual({ newline: '\r\n', mixed: false });
	});
});

describe('sniffCsv', () => {
	it('reports encoding, BOM and delimiter of fixture files', async () => {
		expect(await sniffCsv(fixture('utf8-bom.csv'))).toEqual({
			encoding: 'utf-8',
			bomLength: 3,
			delimiter: ',',
			decimal: '.'
		});
		expect(await sniffCsv(fixture('utf16le-bom.csv'))).toMatchObject({
			encoding: 'utf-16le',
			bomLength: 2,
			delimiter: '\t'
		});
		expect(await sniffCsv(fixture('utf16be-bom.csv'))).toMatchObject({
			encoding: 'utf-16be',
			bomLength: 2,
			delimiter: '\t'
		});
		expect(await sniffCsv(fixture('windows-1252.csv'))).toEqual({
			encoding: 'windows-1252',
			bomLength: 0,
			delimiter: ';',
			decimal: ','
		});
		expect(await sniffCsv(fixture('pipe.csv'))).toMatchObject({ delimiter: '|' });
	});

	it('reads only the first 64 KB', async () => {
		const src = textSource('a,b\n' + '1,2\n'.repeat(100_000));
		const ranges: [number, number][] = [];
		await sniffCsv({ ...src, read: (s, e) => (ranges.push([s, e]), src.read(s, e)) });
		expect(ranges).toEqual([[0, 64 * 1024]]);
	});
});

describe('sniffDialect with imperfect files', () => {
	it('still splits a file whose records have a trailing empty field the header lacks', () => {
		expect(sniffDialect('a,b\n1,2,\n3,4,\n').delimiter).toBe(',');
	});
});
