/** Reads styles.xml only to learn which cell styles (the s="…" index) display dates. */
import type { EntryContext } from './inflate';
import { scanEntry } from './inflate';
import { isBuiltinDateFormat, isDateFormatCode } from './dates';
import type { XmlAttrs } from './xml';
import type { ZipEntry } from './zip';

/** isDate[s] for every cellXfs index s; indexes past the end are plain numbers. */
export type DateStyles = readonly boolean[];

export async function readDateStyles(ctx: EntryContext, entry: ZipEntry): Promise<DateStyles> {
	const custom = new Map<number, string>();
	const xfFormats: number[] = [];
	let depth = 0;
	let cellXfsDepth = -1;
	await scanEntry(ctx, entry, (stop) => ({
		open(name: string, attrs: XmlAttrs) {
			depth++;
			if (name === 'numFmt') {
				const id = Number(attrs.numFmtId);
				if (Number.isInteger(id) && attrs.formatCode !== undefined)
					custom.set(id, attrs.formatCode);
			} else if (name === 'cellXfs') {
				cellXfsDepth = depth;
			} else if (name === 'xf' && cellXfsDepth >= 0 && depth === cellXfsDepth + 1) {
				// cellStyleXfs holds xf elements too; only the direct children of cellXfs are the
				// indexes that cells refer to.
				xfFormats.push(Number(attrs.numFmtId ?? 0));
			}
		},
		close(name: string) {
			if (name === 'cellXfs' && depth === cellXfsDepth) {
				cellXfsDepth = -1;
				stop();
			}
			depth--;
		},
		text() {}
	}));
	return xfFormats.map((id) => {
		const code = custom.get(id);
		// A workbook may redefine a built-in id; its own definition wins.
		return code !== undefined ? isDateFormatCode(code) : isBuiltinDateFormat(id);
	});
}
