/**
 * A new class's upload rarely matches the training data column for column: a feature may be
 * missing, or read as text where the model learnt numbers ("7,5" in one file, 7.5 in another),
 * or as numbers where it learnt categories (year 1, 2, 3). This lines the upload up with what the
 * model expects, converting where the meaning is unambiguous, and names every column it cannot.
 */
import { AppException } from '../../errors';
import {
	categoricalColumn,
	getColumn,
	makeFrame,
	MISSING_CODE,
	numericColumn,
	type Column,
	type Frame
} from '../frame';
import type { FeatureDistribution } from '../train/types';

export interface AlignProblem {
	column: string;
	message: string;
}

function parseLoose(s: string): number {
	const t = s.trim().replace(',', '.');
	if (t === '') return NaN;
	const v = Number(t);
	return Number.isFinite(v) ? v : NaN;
}

function asNumeric(col: Extract<Column, { kind: 'categorical' }>): Column | null {
	const parsed = col.dictionary.map(parseLoose);
	const bad = col.dictionary.findIndex((s, i) => Number.isNaN(parsed[i]) && s.trim() !== '');
	if (bad >= 0) return null;
	const values = new Float64Array(col.codes.length);
	for (let i = 0; i < values.length; i++) {
		const c = col.codes[i];
		values[i] = c === MISSING_CODE ? NaN : parsed[c];
	}
	return numericColumn(col.name, values);
}

function asCategorical(col: Extract<Column, { kind: 'numeric' }>): Column {
	const labels = Array.from(col.values, (v) => (Number.isNaN(v) ? null : String(v)));
	return categoricalColumn(col.name, labels);
}

/**
 * Returns a frame holding exactly `features` (plus `keep`, e.g. the id column, untouched) in the
 * kinds the model expects, or throws an AppException listing every column that does not fit.
 */
export function alignFrame(
	frame: Frame,
	features: string[],
	distributions: FeatureDistribution[],
	opts: { keep?: string[]; source?: string } = {}
): Frame {
	const kinds = new Map(distributions.map((d) => [d.name, d.kind]));
	const problems: AlignProblem[] = [];
	const cols: Column[] = [];
	for (const name of features) {
		const col = getColumn(frame, name);
		if (!col) {
			problems.push({ column: name, message: `the column "${name}" is missing` });
			continue;
		}
		const want = kinds.get(name);
		if (!want || want === col.kind) cols.push(col);
		else if (want === 'numeric' && col.kind === 'categorical') {
			const converted = asNumeric(col);
			if (converted) cols.push(converted);
			else
				problems.push({
					column: name,
					message: `"${name}" holds text, but the model learnt it as numbers`
				});
		} else if (col.kind === 'numeric') cols.push(asCategorical(col));
	}
	if (problems.length > 0) {
		const where = opts.source ? ` in ${opts.source}` : '';
		throw new AppException({
			code: 'features-mismatch',
			message: `This data does not fit the model${where}: ${problems.map((p) => p.message).join('; ')}.`,
			details: { columns: problems.map((p) => p.column).join(', ') }
		});
	}
	for (const name of opts.keep ?? []) {
		const col = getColumn(frame, name);
		if (col && !features.includes(name)) cols.push(col);
	}
	return makeFrame(cols);
}
