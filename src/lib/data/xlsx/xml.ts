/**
 * An incremental XML tokenizer for the few SpreadsheetML parts we read. Text arrives in chunks
 * as it is inflated; only an unfinished tag is carried over between chunks, so a 500 MB sheet
 * never exists as one string, let alone as a tree. It checks only what it needs to find tags
 * and is not a validating parser: DOCTYPEs are skipped and custom entities are never expanded
 * (no "billion laughs").
 */

export type XmlAttrs = Record<string, string>;

export interface XmlHandler {
	/** `name` is the local name: writers may prefix elements ("x:c"), we ignore namespaces. */
	open(name: string, attrs: XmlAttrs, selfClosing: boolean): void;
	close(name: string): void;
	/**
	 * Raw character data, entities not yet decoded (callers decode only what they keep), in
	 * pieces: one text node may arrive in several calls. CDATA arrives re-escaped ('&' as
	 * '&amp;') so that one decode suits both.
	 */
	text(raw: string): void;
}

/** Thrown for XML we cannot tokenize; the caller turns it into an 'xlsx-corrupt' error. */
export class XmlSyntaxError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'XmlSyntaxError';
	}
}

/**
 * A tag, comment or CDATA section longer than this is not from a spreadsheet writer; the cap
 * also stops a hostile file from making us rescan one ever-growing unfinished tag.
 */
const MAX_MARKUP = 1024 * 1024;

/**
 * Excel caps a cell at 32,767 characters; text far beyond that in one cell or shared string is
 * a hostile file trying to make us hold one enormous string.
 */
export const MAX_CELL_TEXT = 1024 * 1024;

export function checkTextLength(length: number): void {
	if (length > MAX_CELL_TEXT)
		throw new XmlSyntaxError('cell text longer than a million characters');
}

const GT = 62; // >
const SLASH = 47;
const EQ = 61;
const DQ = 34;
const SQ = 39;

function isSpace(c: number): boolean {
	return c === 32 || c === 10 || c === 13 || c === 9;
}

function localName(qname: string): string {
	const colon = qname.indexOf(':');
	return colon < 0 ? qname : qname.slice(colon + 1);
}

export class XmlScanner {
	#rest = '';
	/** Set by a handler (through stop()) to end the scan early, e.g. after maxRows. */
	#stopped = false;

	constructor(private readonly handler: XmlHandler) {}

	get stopped(): boolean {
		return this.#stopped;
	}

	stop(): void {
		this.#stopped = true;
	}

	push(chunk: string): void {
		if (this.#stopped) return;
		const s = this.#rest ? this.#rest + chunk : chunk;
		this.#rest = '';
		const h = this.handler;
		let i = 0;
		const n = s.length;
		while (i < n && !this.#stopped) {
			const lt = s.indexOf('<', i);
			if (lt < 0) {
				h.text(s.slice(i));
				return;
			}
			if (lt > i) h.text(s.slice(i, lt));
			const next = this.#markup(s, lt);
			if (next < 0) {
				if (n - lt > MAX_MARKUP) throw new XmlSyntaxError('markup longer than 1 MB');
				this.#rest = s.slice(lt);
				return;
			}
			i = next;
		}
	}

	/** Call after the last chunk: anything left over is an unfinished tag. */
	end(): void {
		if (!this.#stopped && this.#rest.trim()) throw new XmlSyntaxError('document ends inside a tag');
	}

	/** Handles the markup starting at `lt`; returns where text resumes, or -1 if incomplete. */
	#markup(s: string, lt: number): number {
		const c1 = s.charCodeAt(lt + 1);
		if (Number.isNaN(c1)) return -1;
		if (c1 === 33 /* ! */) {
			if (s.startsWith('<!--', lt)) {
				const end = s.indexOf('-->', lt + 4);
				return end < 0 ? -1 : end + 3;
			}
			if (s.startsWith('<![CDATA[', lt)) {
				const end = s.indexOf(']]>', lt + 9);
				if (end < 0) return -1;
				this.handler.text(s.slice(lt + 9, end).replace(/&/g, '&amp;'));
				return end + 3;
			}
			if (s.length - lt < 9) return -1;
			return this.#skipDeclaration(s, lt);
		}
		if (c1 === 63 /* ? */) {
			const end = s.indexOf('?>', lt + 2);
			return end < 0 ? -1 : end + 2;
		}
		if (c1 === SLASH) {
			const gt = s.indexOf('>', lt + 2);
			if (gt < 0) return -1;
			this.handler.close(localName(s.slice(lt + 2, gt).trim()));
			return gt + 1;
		}
		return this.#element(s, lt);
	}

	/** <!DOCTYPE …> possibly with an internal subset in brackets; its content is ignored. */
	#skipDeclaration(s: string, lt: number): number {
		let depth = 0;
		for (let j = lt + 2; j < s.length; j++) {
			const c = s.charCodeAt(j);
			if (c === 91 /* [ */) depth++;
			else if (c === 93 /* ] */) depth--;
			else if (c === GT && depth <= 0) return j + 1;
		}
		return -1;
	}

	/**
	 * Parses a start tag in one pass and reports it only once its '>' is found, so that a tag
	 * cut by a chunk boundary is retried whole with the next chunk (returns -1).
	 */
	#element(s: string, lt: number): number {
		const n = s.length;
		let j = lt + 1;
		while (j < n) {
			const c = s.charCodeAt(j);
			if (c === GT || c === SLASH || isSpace(c)) break;
			j++;
		}
		if (j >= n) return -1;
		const name = localName(s.slice(lt + 1, j));
		if (!name) throw new XmlSyntaxError('tag without a name');
		let attrs: XmlAttrs = NO_ATTRS;
		for (;;) {
			while (j < n && isSpace(s.charCodeAt(j))) j++;
			if (j >= n) return -1;
			const c = s.charCodeAt(j);
			if (c === GT) {
				this.handler.open(name, attrs, false);
				return j + 1;
			}
			if (c === SLASH) {
				if (j + 1 >= n) return -1;
				if (s.charCodeAt(j + 1) !== GT) throw new XmlSyntaxError(`stray '/' in <${name}>`);
				this.handler.open(name, attrs, true);
				this.handler.close(name);
				return j + 2;
			}
			const nameStart = j;
			while (j < n) {
				const d = s.charCodeAt(j);
				if (d === EQ || d === GT || d === SLASH || isSpace(d)) break;
				j++;
			}
			const attrName = s.slice(nameStart, j);
			while (j < n && isSpace(s.charCodeAt(j))) j++;
			if (j >= n) return -1;
			if (s.charCodeAt(j) !== EQ)
				throw new XmlSyntaxError(`attribute ${attrName.slice(0, 40)} has no value`);
			j++;
			while (j < n && isSpace(s.charCodeAt(j))) j++;
			if (j >= n) return -1;
			const quote = s.charCodeAt(j);
			if (quote !== DQ && quote !== SQ)
				throw new XmlSyntaxError(`attribute ${attrName.slice(0, 40)} unquoted`);
			const close = s.indexOf(quote === DQ ? '"' : "'", j + 1);
			if (close < 0) return -1;
			const raw = s.slice(j + 1, close);
			if (attrs === NO_ATTRS) attrs = {};
			attrs[attrName] = raw.indexOf('&') < 0 ? raw : decodeEntities(raw);
			j = close + 1;
		}
	}
}

/** Shared by every tag without attributes: handlers only read attributes. */
const NO_ATTRS: XmlAttrs = Object.freeze({}) as XmlAttrs;

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(raw: string): string {
	if (raw.indexOf('&') < 0) return raw;
	return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, body: string) => {
		if (body.charCodeAt(0) === 35 /* # */) {
			const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
		}
		return NAMED[body] ?? m;
	});
}

/**
 * OOXML escapes characters XML cannot carry as _xHHHH_ (Excel writes a carriage return as
 * _x000D_); a literal "_x" is itself written as _x005F_x….
 */
export function decodeOoxmlEscapes(text: string): string {
	if (text.indexOf('_x') < 0) return text;
	return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
		String.fromCharCode(parseInt(hex, 16))
	);
}

/** Element text as a cell shows it: entities, then OOXML escapes. */
export function decodeText(raw: string): string {
	return decodeOoxmlEscapes(decodeEntities(raw));
}

/** An attribute by local name, for prefixed ones whose prefix is the writer's choice (r:id). */
export function attrByLocalName(attrs: XmlAttrs, local: string): string | undefined {
	if (attrs[local] !== undefined) return attrs[local];
	const suffix = `:${local}`;
	for (const k in attrs) if (k.endsWith(suffix)) return attrs[k];
	return undefined;
}
