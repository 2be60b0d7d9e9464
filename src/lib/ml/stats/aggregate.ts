/**
 * Long-format data (one row per student × semester × subject) as one row per student: the
 * view a teacher needs for "how is each student doing overall", and the shape per-student
 * models and personas take. Numbers become the student's mean (and, for the target, also the
 * latest value in time order when a time column exists); categories become the most frequent
 * value; a count of rows is added. Typed arrays throughout: one pass to group, one per column.
 */
import { MISSING_CODE, categoricalColumn, numericColumn, type Column, type Frame } from '../frame';

export interface AggregateOptions {
	/** The column whose values identify a student. */
	groupBy: string;
	/** Rows are ordered by this within a student (e.g. semester) for "latest" values. */
	timeColumn?: string;
	/** Columns that also get a `<name>_latest` (e.g. the final mark). */
	latestOf?: string[];
	/** Columns to leave out (e.g. subject, which says nothing once averaged). */
	exclude?: string[];
}

export interface Grouping {
	/** Group index per row; MISSING_CODE for rows without an id. */
	groupOf: Uint32Array;
	nGroups: number;
	/** The id of each group, as text. */
	keys: string[];
}

function cellText(c: Column, r: number): string | null {
	if (c.kind === 'categorical')
		return c.codes[r] === MISSING_CODE ? null : c.dictionary[c.codes[r]];
	const v = c.values[r];
	return Number.isNaN(v) ? null : String(v);
}

/** Groups rows by a column's value, in order of first appearance. */
export function groupRows(frame: Frame, by: string): Grouping {
	const col = frame.columns.find((c) => c.name === by);
	if (!col) throw new RangeError(`No column "${by}".`);
	const groupOf = new Uint32Array(frame.nRows);
	const keys: string[] = [];
	if (col.kind === 'categorical') {
		// Codes are already small integers: map dictionary code -> group without hashing strings.
		const byCode = new Uint32Array(col.dictionary.length).fill(MISSING_CODE);
		for (let r = 0; r < frame.nRows; r++) {
			const code = col.codes[r];
			if (code === MISSING_CODE) {
				groupOf[r] = MISSING_CODE;
				continue;
			}
			if (byCode[code] === MISSING_CODE) {
				byCode[code] = keys.length;
				keys.push(col.dictionary[code]);
			}
			groupOf[r] = byCode[code];
		}
	} else {
		const index = new Map<number, number>();
		for (let r = 0; r < frame.nRows; r++) {
			const v = col.values[r];
			if (Number.isNaN(v)) {
				groupOf[r] = MISSING_CODE;
				continue;
			}
			let g = index.get(v);
			if (g === undefined) {
				g = keys.length;
				index.set(v, g);
				keys.push(cellText(col, r)!);
			}
			groupOf[r] = g;
		}
	}
	return { groupOf, nGroups: keys.length, keys };
}

function meanBy(values: Float64Array, g: Grouping): Float64Array {
	const sum = new Float64Array(g.nGroups);
	const n = new Float64Array(g.nGroups);
	for (let r = 0; r < values.length; r++) {
		const k = g.groupOf[r];
		const v = values[r];
		if (k === MISSING_CODE || Number.isNaN(v)) continue;
		sum[k] += v;
		n[k]++;
	}
	for (let k = 0; k < g.nGroups; k++) sum[k] = n[k] ? sum[k] / n[k] : NaN;
	return sum;
}

/** The value at the row with the largest time (ties: the later row), ignoring missing values. */
function latestBy(values: Float64Array, time: Float64Array | null, g: Grouping): Float64Array {
	const out = new Float64Array(g.nGroups).fill(NaN);
	const when = new Float64Array(g.nGroups).fill(-Infinity);
	for (let r = 0; r < values.length; r++) {
		const k = g.groupOf[r];
		const v = values[r];
		if (k === MISSING_CODE || Number.isNaN(v)) continue;
		const t = time ? time[r] : r;
		if (!(t < when[k])) {
			when[k] = t;
			out[k] = v;
		}
	}
	return out;
}

function modeBy(c: Column & { kind: 'categorical' }, g: Grouping): (string | null)[] {
	const nCats = c.dictionary.length;
	// A dense groups × categories table is fine for the usual few categories; fall back to maps
	// when it would be large (an id-like column).
	if (g.nGroups * nCats <= 8_000_000) {
		const counts = new Uint32Array(g.nGroups * nCats);
		for (let r = 0; r < c.codes.length; r++) {
			const k = g.groupOf[r];
			const code = c.codes[r];
			if (k !== MISSING_CODE && code !== MISSING_CODE) counts[k * nCats + code]++;
		}
		const out: (string | null)[] = [];
		for (let k = 0; k < g.nGroups; k++) {
			let best = -1;
			let bestN = 0;
			for (let j = 0; j < nCats; j++) {
				if (counts[k * nCats + j] > bestN) {
					bestN = counts[k * nCats + j];
					best = j;
				}
			}
			out.push(best < 0 ? null : c.dictionary[best]);
		}
		return out;
	}
	const maps = Array.from({ length: g.nGroups }, () => new Map<number, number>());
	for (let r = 0; r < c.codes.length; r++) {
		const k = g.groupOf[r];
		const code = c.codes[r];
		if (k !== MISSING_CODE && code !== MISSING_CODE)
			maps[k].set(code, (maps[k].get(code) ?? 0) + 1);
	}
	return maps.map((m) => {
		let best: number | null = null;
		let bestN = 0;
		for (const [code, n] of m) if (n > bestN) [best, bestN] = [code, n];
		return best === null ? null : c.dictionary[best];
	});
}

/** One row per student; rows without an id are left out (and counted in `rowsWithoutId`). */
export function aggregateByGroup(
	frame: Frame,
	opts: AggregateOptions
): { frame: Frame; rowsWithoutId: number } {
	const g = groupRows(frame, opts.groupBy);
	const exclude = new Set([...(opts.exclude ?? []), opts.groupBy]);
	const timeCol = opts.timeColumn ? frame.columns.find((c) => c.name === opts.timeColumn) : null;
	const time =
		timeCol?.kind === 'numeric'
			? timeCol.values
			: timeCol?.kind === 'categorical'
				? // Semester labels sort as text ("2023-S1" < "2023-S2"); rank them that way.
					(() => {
						const order = timeCol.dictionary
							.map((v, i) => [v, i] as const)
							.sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
						const rank = new Float64Array(timeCol.dictionary.length);
						order.forEach(([, i], pos) => (rank[i] = pos));
						return Float64Array.from(timeCol.codes, (c) => (c === MISSING_CODE ? NaN : rank[c]));
					})()
				: null;
	const idSource = frame.columns.find((c) => c.name === opts.groupBy)!;
	const columns: Column[] = [
		categoricalColumn(
			opts.groupBy,
			g.keys,
			idSource.kind === 'categorical' ? idSource.type : 'identifier'
		)
	];
	const counts = new Float64Array(g.nGroups);
	let rowsWithoutId = 0;
	for (let r = 0; r < frame.nRows; r++) {
		if (g.groupOf[r] === MISSING_CODE) rowsWithoutId++;
		else counts[g.groupOf[r]]++;
	}
	columns.push(numericColumn('n_rows', counts, 'integer'));
	const latest = new Set(opts.latestOf ?? []);
	for (const c of frame.columns) {
		if (exclude.has(c.name) || c.name === opts.timeColumn) continue;
		if (c.kind === 'numeric') {
			if (c.type === 'datetime') {
				columns.push(
					numericColumn(`${c.name}_latest`, latestBy(c.values, c.values, g), 'datetime')
				);
				continue;
			}
			// A yes/no column's mean is the share of "yes" rows.
			columns.push(numericColumn(`${c.name}_mean`, meanBy(c.values, g), 'number'));
			if (latest.has(c.name)) {
				columns.push(numericColumn(`${c.name}_latest`, latestBy(c.values, time, g), c.type));
			}
		} else if (c.type === 'category') {
			columns.push(categoricalColumn(`${c.name}_most_common`, modeBy(c, g)));
		}
	}
	return { frame: { nRows: g.nGroups, columns }, rowsWithoutId };
}
