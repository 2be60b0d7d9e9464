import { describe, expect, it } from 'vitest';
import {
	decodeText,
	XmlScanner,
	XmlSyntaxError,
	type XmlAttrs
} from '../../../../src/lib/data/xlsx/xml';

/** Tokenizes `chunks` and returns the events, adjacent text merged. */
function events(chunks: string[]): string[] {
	const out: string[] = [];
	const s = new XmlScanner({
		open: (n: string, a: XmlAttrs, self: boolean) =>
			out.push(`<${n} ${JSON.stringify(a)}${self ? '/' : ''}>`),
		close: (n: string) => out.push(`</${n}>`),
		text: (t: string) => {
			if (out.length && out[out.length - 1]!.startsWith('T:')) out[out.length - 1] += t;
			else out.push(`T:${t}`);
		}
	});
	for (const c of chunks) s.push(c);
	s.end();
	return out;
}

const DOC = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY boom "lol">]><!-- a > comment -->
<x:sst xmlns:x="ns" a='1 > 0' b="&quot;q&quot; &amp; &#233;"><si><t>A &lt;b&gt; &boom;</t></si><si><t><![CDATA[<raw> & ]]></t></si><e/></x:sst>`;

describe('XmlScanner', () => {
	it('tokenizes elements, attributes, text, CDATA; skips comments, PIs and DOCTYPE', () => {
		const ev = events([DOC]).filter((e) => e !== 'T:\n');
		expect(ev).toEqual([
			'<sst {"xmlns:x":"ns","a":"1 > 0","b":"\\"q\\" & é"}>',
			'<si {}>',
			'<t {}>',
			'T:A &lt;b&gt; &boom;',
			'</t>',
			'</si>',
			'<si {}>',
			'<t {}>',
			'T:<raw> &amp; ',
			'</t>',
			'</si>',
			'<e {}/>',
			'</e>',
			'</sst>'
		]);
	});

	it('gives the same events whichever way the text is split into chunks', () => {
		const whole = events([DOC]);
		for (let i = 1; i < DOC.length; i++) {
			expect(events([DOC.slice(0, i), DOC.slice(i)])).toEqual(whole);
		}
		expect(events(DOC.split(''))).toEqual(whole);
	});

	it('refuses malformed and endless markup', () => {
		expect(() => events(['<a b=c/>'])).toThrow(XmlSyntaxError);
		expect(() => events(['<a><b'])).toThrow(XmlSyntaxError);
		const s = new XmlScanner({ open() {}, close() {}, text() {} });
		expect(() => {
			s.push('<a b="');
			for (let i = 0; i < 20; i++) s.push('x'.repeat(100_000));
		}).toThrow(/longer than 1 MB/);
	});

	it('stops when asked', () => {
		const seen: string[] = [];
		const s: XmlScanner = new XmlScanner({
			open: (n: string) => {
				seen.push(n);
				if (n === 'b') s.stop();
			},
			close() {},
			text() {}
		});
		s.push('<a><b/><c/></a>');
		expect(seen).toEqual(['a', 'b']);
	});
});

describe('decodeText', () => {
	it('decodes entities then OOXML _xHHHH_ escapes, leaving unknown ones alone', () => {
		expect(decodeText('a&amp;b &#x41;&#66; _x000D__x0009_ _x005F_x000D_ &nope; _xZZZZ_')).toBe(
			'a&b AB \r\t _x000D_ &nope; _xZZZZ_'
		);
	});
});
