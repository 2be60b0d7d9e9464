/**
 * The string → code dictionary of one category, identifier or text column while a file is read.
 *
 * A Map<string, number> was the single largest cost of building a frame: an identifier column
 * puts a million fresh strings into it, and the Map's growth and GC pressure cost ~1.6 s per
 * million rows. This dictionary has two modes:
 *  - sorted: while every new word is greater than the one before (ids exported in order, which
 *    is most files), a word greater than the last cannot be in the dictionary, so a new word
 *    costs one string comparison and an array push, and no table is kept at all; any other word
 *    (a blank id, a repeat) is found by binary search, until such lookups become common;
 *  - hashed: from the first word out of order on, an open-addressing table of codes (Int32Array)
 *    with each word's hash kept in a typed array, so growing rehashes without touching strings.
 * Codes are first-seen order in both modes, exactly as the Map gave.
 */

const EMPTY = -1;
/** Binary searches a sorted dictionary allows itself, per this many words, before hashing. */
const WORDS_PER_SEARCH = 16;

/** FNV-1a over UTF-16 code units with a final avalanche, so the low bits used as slots mix all. */
export function hashString(s: string): number {
	let h = 0x811c9dc5 ^ s.length;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	h ^= h >>> 15;
	h = Math.imul(h, 0x2c1b3c6d);
	return h ^ (h >>> 12);
}

export class StringDictionary {
	/** Words by code, in first-seen order: the column's dictionary. */
	readonly words: string[] = [];
	private sorted = true;
	/** Lookups in sorted mode that needed a binary search. */
	private searches = 0;
	private hashes = new Int32Array(0);
	private slots = new Int32Array(0);
	private mask = 0;
	// Where the last find() missed, so the add() that follows does not hash and probe again.
	private missKey = '';
	private missHash = 0;
	private missSlot = -1;

	get size(): number {
		return this.words.length;
	}

	/** The code of `s`, or -1 when it is not in the dictionary. */
	find(s: string): number {
		const words = this.words;
		const n = words.length;
		if (this.sorted) {
			if (n === 0 || s > words[n - 1]) {
				this.missSlot = -1;
				return -1;
			}
			if (s === words[n - 1]) return n - 1;
			// A lookup behind the last word, where hashing all the words so far would cost more
			// than searching them; a column that keeps looking back is hashed after all.
			if (++this.searches * WORDS_PER_SEARCH <= n || this.searches <= 64) return this.search(s);
			this.buildTable();
		}
		const h = hashString(s);
		const hashes = this.hashes;
		const slots = this.slots;
		const mask = this.mask;
		let slot = h & mask;
		let code = slots[slot];
		while (code !== EMPTY && (hashes[code] !== h || words[code] !== s)) {
			slot = (slot + 1) & mask;
			code = slots[slot];
		}
		if (code === EMPTY) {
			this.missKey = s;
			this.missHash = h;
			this.missSlot = slot;
		}
		return code;
	}

	/**
	 * Adds a word that is not in the dictionary (the caller has just had find() miss on a string
	 * with the same text) and returns its new code.
	 */
	add(key: string): number {
		const words = this.words;
		const code = words.length;
		if (this.sorted) {
			if (code === 0 || key > words[code - 1]) {
				words.push(key);
				return code;
			}
			this.buildTable();
		}
		let h: number;
		let slot: number;
		if (this.missSlot >= 0 && key === this.missKey) {
			h = this.missHash;
			slot = this.missSlot;
		} else {
			h = hashString(key);
			slot = h & this.mask;
			while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
		}
		this.missSlot = -1;
		this.missKey = '';
		if (code === this.hashes.length) {
			const grown = new Int32Array(code * 2);
			grown.set(this.hashes);
			this.hashes = grown;
		}
		this.hashes[code] = h;
		this.slots[slot] = code;
		words.push(key);
		// At most half full, so probes stay short; rehashing reads only the typed hashes.
		if (words.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
		return code;
	}

	/** The code of `s` in a sorted dictionary, or -1. */
	private search(s: string): number {
		const words = this.words;
		let lo = 0;
		let hi = words.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const w = words[mid];
			if (w === s) return mid;
			if (w < s) lo = mid + 1;
			else hi = mid - 1;
		}
		this.missSlot = -1;
		return -1;
	}

	/** Leaves sorted mode: hashes every word so far and builds the table. */
	private buildTable(): void {
		this.sorted = false;
		const words = this.words;
		const n = words.length;
		this.hashes = new Int32Array(Math.max(16, n * 2));
		for (let i = 0; i < n; i++) this.hashes[i] = hashString(words[i]);
		let size = 32;
		while (size < n * 4) size *= 2;
		this.rehash(size);
	}

	private rehash(size: number): void {
		const slots = new Int32Array(size).fill(EMPTY);
		const mask = size - 1;
		const hashes = this.hashes;
		for (let code = 0; code < this.words.length; code++) {
			let slot = hashes[code] & mask;
			while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
			slots[slot] = code;
		}
		this.slots = slots;
		this.mask = mask;
		this.missSlot = -1;
	}
}
