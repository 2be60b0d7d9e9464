/**
 * Finds the workbook's parts the way Excel does, through the package relationships, rather than
 * guessing "xl/worksheets/sheet1.xml": sheet files are named by creation order, not tab order,
 * and other writers use other paths.
 */
import { corrupt } from './errors';
import { scanEntry, type EntryContext } from './inflate';
import { attrByLocalName, type XmlAttrs } from './xml';
import type { ZipDirectory, ZipEntry } from './zip';

export interface SheetRef {
	name: string;
	/** Path of the sheet's XML part in the zip. */
	path: string;
	hidden: boolean;
}

export interface WorkbookInfo {
	/** Worksheets in tab order; chart sheets and dialog sheets are left out (no cells). */
	sheets: SheetRef[];
	date1904: boolean;
	sharedStrings?: ZipEntry;
	styles?: ZipEntry;
}

interface Relationship {
	type: string;
	target: string;
}

function dirOf(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** Resolves a relationship target against the part that owns the .rels file. */
export function resolveTarget(ownerPath: string, target: string): string {
	const joined = target.startsWith('/') ? target.slice(1) : dirOf(ownerPath) + target;
	const out: string[] = [];
	for (const seg of joined.split('/')) {
		if (seg === '..') out.pop();
		else if (seg !== '.' && seg !== '') out.push(seg);
	}
	return out.join('/');
}

function relsPathFor(partPath: string): string {
	const dir = dirOf(partPath);
	return `${dir}_rels/${partPath.slice(dir.length)}.rels`;
}

async function readRels(
	ctx: EntryContext,
	zip: ZipDirectory,
	partPath: string
): Promise<Map<string, Relationship>> {
	const rels = new Map<string, Relationship>();
	const entry = zip.get(relsPathFor(partPath));
	if (!entry) return rels;
	await scanEntry(ctx, entry, () => ({
		open(name: string, a: XmlAttrs) {
			if (name === 'Relationship' && a.Id && a.Target && a.TargetMode !== 'External') {
				rels.set(a.Id, { type: a.Type ?? '', target: resolveTarget(partPath, a.Target) });
			}
		},
		close() {},
		text() {}
	}));
	return rels;
}

/** Relationship types end the same in transitional and strict OOXML. */
const isType = (rel: Relationship, suffix: string): boolean => rel.type.endsWith(`/${suffix}`);

function notAWorkbook(ctx: EntryContext, zip: ZipDirectory, reason: string): Error {
	const name = ctx.source.name;
	if (zip.get('mimetype') && zip.get('content.xml')) {
		return corrupt(
			name,
			reason,
			`${name} looks like an OpenDocument spreadsheet (.ods), which Classlens cannot read. Open it and save it as an Excel Workbook (.xlsx) or as CSV, then import that file.`
		);
	}
	return corrupt(
		name,
		reason,
		`${name} is a zip file but not an Excel workbook. Choose an .xlsx or CSV file.`
	);
}

export async function readWorkbook(ctx: EntryContext, zip: ZipDirectory): Promise<WorkbookInfo> {
	const rootRels = await readRels(ctx, zip, '');
	let workbookPath = 'xl/workbook.xml';
	for (const rel of rootRels.values()) {
		if (isType(rel, 'officeDocument')) workbookPath = rel.target;
	}
	if (/\.bin$/i.test(workbookPath)) {
		const name = ctx.source.name;
		throw corrupt(
			name,
			'binary workbook (xlsb)',
			`${name} is an Excel Binary Workbook (.xlsb), which Classlens cannot read. Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV, then import that file.`
		);
	}
	const workbookEntry = zip.get(workbookPath);
	if (!workbookEntry) throw notAWorkbook(ctx, zip, `no ${workbookPath}`);
	const rels = await readRels(ctx, zip, workbookPath);

	let date1904 = false;
	const declared: { name: string; rid: string; hidden: boolean }[] = [];
	let inSheets = false;
	await scanEntry(ctx, workbookEntry, (stop) => ({
		open(name: string, a: XmlAttrs) {
			if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
			else if (name === 'sheets') inSheets = true;
			else if (name === 'sheet' && inSheets) {
				declared.push({
					name: a.name ?? '',
					rid: attrByLocalName(a, 'id') ?? '',
					hidden: a.state === 'hidden' || a.state === 'veryHidden'
				});
			}
		},
		close(name: string) {
			// workbookPr comes before sheets in the schema; nothing after them matters to us.
			if (name === 'sheets') stop();
		},
		text() {}
	}));

	const sheets: SheetRef[] = [];
	for (const s of declared) {
		const rel = rels.get(s.rid);
		if (!rel || !isType(rel, 'worksheet')) continue;
		if (!zip.get(rel.target)) continue;
		sheets.push({ name: s.name, path: rel.target, hidden: s.hidden });
	}
	if (declared.length > 0 && sheets.length === 0 && rels.size === 0) {
		// A workbook without its rels file: fall back to the conventional names.
		declared.forEach((s, i) => {
			const path = `xl/worksheets/sheet${i + 1}.xml`;
			if (zip.get(path)) sheets.push({ name: s.name, path, hidden: s.hidden });
		});
	}
	let sharedStrings: ZipEntry | undefined;
	let styles: ZipEntry | undefined;
	for (const rel of rels.values()) {
		if (isType(rel, 'sharedStrings')) sharedStrings = zip.get(rel.target);
		else if (isType(rel, 'styles')) styles = zip.get(rel.target);
	}
	if (rels.size === 0) {
		sharedStrings = zip.get('xl/sharedStrings.xml');
		styles = zip.get('xl/styles.xml');
	}
	return { sheets, date1904, sharedStrings, styles };
}
