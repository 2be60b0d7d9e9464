/**
 * The shared strings table: cells with t="s" hold an index into it. It must be held whole (any
 * cell may refer to any string); its size is bounded by the inflated-bytes budget.
 */
import type { EntryContext } from './inflate';
import { scanEntry } from './inflate';
import { checkTextLength, decodeText } from './xml';
import type { ZipEntry } from './zip';

/**
 * Collects the text of <t> elements in a rich-text container (<si>, or a cell's <is>), runs
 * concatenated, skipping phonetic guides (<rPh>, furigana) that Excel does not display.
 */
export class RichTextCollector {
	#raw = '';
	#inT = false;
	#phonetic = 0;

	reset(): void {
		this.#raw = '';
		this.#inT = false;
		this.#phonetic = 0;
	}

	open(name: string): void {
		if (name === 't') this.#inT = this.#phonetic === 0;
		else if (name === 'rPh') this.#phonetic++;
	}

	close(name: string): void {
		if (name === 't') this.#inT = false;
		else if (name === 'rPh') this.#phonetic--;
	}

	text(raw: string): void {
		if (this.#inT) {
			this.#raw += raw;
			checkTextLength(this.#raw.length);
		}
	}

	value(): string {
		return decodeText(this.#raw);
	}
}

export async function readSharedStrings(ctx: EntryContext, entry: ZipEntry): Promise<string[]> {
	const strings: string[] = [];
	const rich = new RichTextCollector();
	let inSi = false;
	await scanEntry(ctx, entry, () => ({
		open(name: string) {
			if (name === 'si') {
				inSi = true;
				rich.reset();
			} else if (inSi) rich.open(name);
		},
		close(name: string) {
			if (name === 'si') {
				strings.push(rich.value());
				inSi = false;
			} else if (inSi) rich.close(name);
		},
		text(raw: string) {
			if (inSi) rich.text(raw);
		}
	}));
	return strings;
}
