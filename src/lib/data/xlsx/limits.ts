/**
 * Size limits for workbooks. An .xlsx file is a zip of XML, and deflate can expand about 1000
 * times, so a 1 MB upload can claim to be a gigabyte sheet. Every byte is counted as it comes
 * out of the inflater (the sizes a zip declares are never trusted) and the read stops the moment
 * a limit is passed, so a zip bomb costs a few megabytes and milliseconds instead of the tab.
 */
import { AppException } from '../../errors';

export interface XlsxLimits {
	/** Total bytes inflated from the zip, over every part read (workbook, styles, strings, sheet). */
	maxUncompressedBytes: number;
	/** Cells (`<c>` elements) in the sheet being read, empty styled cells included. */
	maxCells: number;
	/**
	 * How many times its compressed size one zip entry may inflate to, once it is past
	 * RATIO_FLOOR_BYTES. Real sheet XML compresses about 8–25× (measured on sheets written by
	 * openpyxl: 9× for varied marks, 15× for 100k rows of zeros, 23× for one word repeated),
	 * because every cell carries its own reference ("A1", "A2", …). Deflate's ceiling is about
	 * 1030×, which is what bombs use.
	 */
	maxCompressionRatio: number;
}

/**
 * 1 GiB of XML is about 30 million typical cells, far beyond any class yet a size a worker can
 * stream; 50 million cells bounds sheets of very short cells, where the byte limit comes late;
 * ratio 200 leaves 8× headroom over the most repetitive real sheet we measured and still stops
 * a bomb within its first few megabytes. For a file over 5 MB the byte limit binds first.
 */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = Object.freeze({
	maxUncompressedBytes: 1024 * 1024 * 1024,
	maxCells: 50_000_000,
	maxCompressionRatio: 200
});

/** Small parts (a 200-byte rels file inflating to 3 KB) may exceed any ratio legitimately. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export function resolveLimits(partial?: Partial<XlsxLimits>): XlsxLimits {
	const l = { ...DEFAULT_XLSX_LIMITS };
	for (const key of Object.keys(l) as (keyof XlsxLimits)[]) {
		const v = partial?.[key];
		if (v !== undefined) {
			if (!(v > 0)) throw new RangeError(`xlsx limit ${key} must be positive, got ${v}`);
			l[key] = v;
		}
	}
	return l;
}

const SAVE_AS_CSV = 'Open it in Excel and save the sheet you need as CSV, then import that file.';

function mb(bytes: number): string {
	if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
	return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en')} MB`;
}

/** Counts what one read inflates and parses; shared by every zip entry of that read. */
export class Budget {
	inflatedBytes = 0;
	cells = 0;
	constructor(
		readonly limits: XlsxLimits,
		readonly fileName: string
	) {}

	/** Called after every inflated chunk, before the chunk is decoded or parsed. */
	addInflated(n: number, entryInflated: number, entryCompressedSoFar: number, entry: string): void {
		this.inflatedBytes += n;
		const { maxUncompressedBytes, maxCompressionRatio } = this.limits;
		if (this.inflatedBytes > maxUncompressedBytes) {
			throw this.tooLarge(
				`${this.fileName} expands to more than ${mb(maxUncompressedBytes)} when opened, which is more than Classlens can read safely in the browser.`,
				entry
			);
		}
		if (
			entryInflated > RATIO_FLOOR_BYTES &&
			entryInflated > maxCompressionRatio * Math.max(1, entryCompressedSoFar)
		) {
			throw this.tooLarge(
				`${this.fileName} expands far more than a real spreadsheet does (over ${maxCompressionRatio} times its size), so it was not opened: it may be damaged or made to crash programs that read it.`,
				entry,
				{ entryInflatedBytes: entryInflated, entryCompressedBytes: entryCompressedSoFar }
			);
		}
	}

	addCell(): void {
		if (++this.cells > this.limits.maxCells) {
			throw this.tooLarge(
				`${this.fileName} has more than ${this.limits.maxCells.toLocaleString('en')} cells in this sheet, which is more than Classlens can read in the browser.`
			);
		}
	}

	private tooLarge(
		sentence: string,
		entry?: string,
		extra: Record<string, number> = {}
	): AppException {
		return new AppException({
			code: 'xlsx-too-large',
			message: `${sentence} ${SAVE_AS_CSV}`,
			details: {
				file: this.fileName,
				...(entry ? { entry } : {}),
				inflatedBytes: this.inflatedBytes,
				cells: this.cells,
				maxUncompressedBytes: this.limits.maxUncompressedBytes,
				maxCells: this.limits.maxCells,
				maxCompressionRatio: this.limits.maxCompressionRatio,
				...extra
			}
		});
	}
}
