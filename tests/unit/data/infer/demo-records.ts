/** Turns a demo frame into the raw string records a CSV reader would deliver. */
import { formatDateTime, formatNumber } from '../../../../src/lib/data/csv-write';
import { MISSING_CODE, type Frame } from '../../../../src/lib/ml/frame';

export function frameToRecords(frame: Frame): { header: string[]; records: string[][] } {
	const header = frame.columns.map((c) => c.name);
	const records: string[][] = [];
	for (let r = 0; r < frame.nRows; r++) {
		records.push(
			frame.columns.map((c) => {
				if (c.kind === 'categorical') {
					const code = c.codes[r];
					return code === MISSING_CODE ? '' : c.dictionary[code];
				}
				const v = c.values[r];
				return c.type === 'datetime' ? formatDateTime(v) : formatNumber(v);
			})
		);
	}
	return { header, records };
}
