/**
 * Counts behind the persona charts: persona × trajectory (or any two labelings) and persona
 * shares within each level of a grouping column. Small cells are suppressed by default (the
 * project's privacy rule: group statistics about fewer than 10 students are not shown); a
 * count of 0 is shown, as it describes nobody.
 */

export const MIN_CELL = 10;

export interface CrossTable {
	kA: number;
	kB: number;
	/** kA × kB, row-major: students with label a in A and b in B. */
	counts: Uint32Array;
	rowTotals: Uint32Array;
	colTotals: Uint32Array;
	/** Students with a label in both (negative labels, e.g. DBSCAN noise, are left out). */
	total: number;
}

export function crossTable(
	labelsA: ArrayLike<number>,
	labelsB: ArrayLike<number>,
	kA: number,
	kB: number
): CrossTable {
	if (labelsA.length !== labelsB.length) {
		throw new RangeError(
			`The labelings have different lengths (${labelsA.length} and ${labelsB.length}).`
		);
	}
	const counts = new Uint32Array(kA * kB);
	const rowTotals = new Uint32Array(kA);
	const colTotals = new Uint32Array(kB);
	let total = 0;
	for (let i = 0; i < labelsA.length; i++) {
		const a = labelsA[i];
		const b = labelsB[i];
		if (!(a >= 0 && a < kA && b >= 0 && b < kB)) continue;
		counts[a * kB + b]++;
		rowTotals[a]++;
		colTotals[b]++;
		total++;
	}
	return { kA, kB, counts, rowTotals, colTotals, total };
}

export interface SuppressionOptions {
	/** Cells with 1..minCell−1 students are suppressed (default 10). */
	minCell?: number;
	/** Opt out: show every cell, however small. */
	showSmallGroups?: boolean;
}

/** A count as shown: null when it describes 1..minCell−1 students and suppression is on. */
export function shownCount(count: number, opts: SuppressionOptions = {}): number | null {
	const minCell = opts.minCell ?? MIN_CELL;
	if (opts.showSmallGroups) return count;
	return count > 0 && count < minCell ? null : count;
}

export interface BreakdownLevel {
	level: string;
	/** Students in this level who have a persona. */
	n: number;
	/** Per persona; null when suppressed (the whole level, or this cell). */
	counts: (number | null)[] | null;
	/** Per persona: share of this level's students. */
	shares: (number | null)[] | null;
	/** The whole level has fewer than minCell students. */
	suppressed: boolean;
}

/**
 * Persona mix within each level of a grouping column (gender, school type, …). Codes that are
 * negative, not integers or out of range are missing and not counted; so are rows without a
 * persona.
 */
export function groupBreakdown(
	labels: ArrayLike<number>,
	groupCodes: ArrayLike<number>,
	groupLabels: readonly string[],
	k: number,
	opts: SuppressionOptions = {}
): BreakdownLevel[] {
	const g = groupLabels.length;
	const counts = Array.from({ length: g }, () => new Array<number>(k).fill(0));
	const n = new Array<number>(g).fill(0);
	const len = Math.min(labels.length, groupCodes.length);
	for (let i = 0; i < len; i++) {
		const code = groupCodes[i];
		const l = labels[i];
		if (!Number.isInteger(code) || code < 0 || code >= g || !(l >= 0 && l < k)) continue;
		counts[code][l]++;
		n[code]++;
	}
	return groupLabels.map((level, c) => {
		const suppressed = shownCount(n[c], opts) === null;
		const shown = suppressed ? null : counts[c].map((x) => shownCount(x, opts));
		return {
			level,
			n: n[c],
			suppressed,
			counts: shown,
			shares: shown && n[c] > 0 ? shown.map((x) => (x === null ? null : x / n[c])) : null
		};
	});
}
