/** The AppExceptions a workbook read can end with, each worded for a teacher. */
import { AppException } from '../../errors';

export function corrupt(fileName: string, reason: string, hint?: string): AppException {
	return new AppException({
		code: 'xlsx-corrupt',
		message:
			hint ??
			`${fileName} could not be read as an Excel workbook: it may be damaged or not really an .xlsx file. Try opening it in Excel and saving it again as .xlsx or CSV.`,
		details: { file: fileName, reason }
	});
}

export function xlsUnsupported(fileName: string, encrypted: boolean): AppException {
	return new AppException({
		code: 'xls-unsupported',
		message: encrypted
			? `${fileName} is protected with a password, so Classlens cannot read it. Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password) or save the sheet you need as CSV, then import that file.`
			: `${fileName} is an old-style Excel file (.xls), which Classlens cannot read. Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV, then import that file.`,
		details: { file: fileName, encrypted }
	});
}

export function sheetNotFound(
	fileName: string,
	wanted: string | number,
	names: readonly string[]
): AppException {
	const list = names.length ? names.map((n) => `“${n}”`).join(', ') : 'none that hold data';
	const what =
		typeof wanted === 'number' ? `a sheet number ${wanted + 1}` : `a sheet called “${wanted}”`;
	return new AppException({
		code: 'sheet-not-found',
		message: `${fileName} has no ${what}. Its sheets are: ${list}.`,
		details: { file: fileName, wanted: String(wanted), sheets: names.join('\n') }
	});
}
