/**
 * Score trajectories: students grouped by an earlier score and the exam score, the groups
 * ordered by their mean exam score and named "High achievers", "Moderate", "At risk". The
 * grouping itself usually comes from k-means on the two standardised scores; without labels a
 * small deterministic k-means (quantile start, no randomness) is run here.
 */

export interface TrajectoryGroups {
	/** Per student: 0 = highest mean exam score … k − 1 = lowest; −1 when not placed. */
	labels: Int32Array;
	/** Names in rank order. */
	names: string[];
	/** order[r] = the input cluster that ranks r-th. */
	order: number[];
	sizes: number[];
	/** Means per ranked group (null when the group is empty). */
	meanPrev: (number | null)[];
	meanExam: (number | null)[];
}

/** Group names by rank for k groups, best first. */
export function trajectoryNames(k: number): string[] {
	if (k <= 1) return ['All students'];
	if (k === 2) return ['High achievers', 'At risk'];
	if (k === 3) return ['High achievers', 'Moderate', 'At risk'];
	if (k === 4) return ['High achievers', 'Upper moderate', 'Lower moderate', 'At risk'];
	return [
		'High achievers',
		...Array.from({ length: k - 2 }, (_, i) => `Moderate ${i + 1}`),
		'At risk'
	];
}

/** Deterministic k-means on the two standardised scores, started at exam-score quantiles. */
function twoScoreKMeans(
	prev: ArrayLike<number>,
	exam: ArrayLike<number>,
	ok: number[],
	k: number
): Int32Array {
	const n = ok.length;
	const labels = new Int32Array(prev.length).fill(-1);
	if (n === 0) return labels;
	const stat = (v: ArrayLike<number>) => {
		let m = 0;
		for (const i of ok) m += v[i];
		m /= n;
		let s = 0;
		for (const i of ok) s += (v[i] - m) ** 2;
		return { m, s: Math.sqrt(s / n) || 1 };
	};
	const a = stat(prev);
	const b = stat(exam);
	const x = ok.map((i) => (prev[i] - a.m) / a.s);
	const y = ok.map((i) => (exam[i] - b.m) / b.s);
	const byExam = ok.map((_, t) => t).sort((p, r) => y[p] - y[r] || x[p] - x[r] || p - r);
	const cx: number[] = [];
	const cy: number[] = [];
	for (let c = 0; c < k; c++) {
		const t = byExam[Math.min(n - 1, Math.floor(((c + 0.5) * n) / k))];
		cx.push(x[t]);
		cy.push(y[t]);
	}
	const assign = new Int32Array(n).fill(-1);
	for (let iter = 0; iter < 300; iter++) {
		let changed = false;
		for (let t = 0; t < n; t++) {
			let best = 0;
			let bestD = Infinity;
			for (let c = 0; c < k; c++) {
				const dd = (x[t] - cx[c]) ** 2 + (y[t] - cy[c]) ** 2;
				if (dd < bestD) {
					bestD = dd;
					best = c;
				}
			}
			if (assign[t] !== best) {
				assign[t] = best;
				changed = true;
			}
		}
		if (!changed) break;
		const sx = new Array<number>(k).fill(0);
		const sy = new Array<number>(k).fill(0);
		const cnt = new Array<number>(k).fill(0);
		for (let t = 0; t < n; t++) {
			sx[assign[t]] += x[t];
			sy[assign[t]] += y[t];
			cnt[assign[t]]++;
		}
		for (let c = 0; c < k; c++) {
			if (cnt[c] === 0) continue;
			cx[c] = sx[c] / cnt[c];
			cy[c] = sy[c] / cnt[c];
		}
	}
	ok.forEach((i, t) => (labels[i] = assign[t]));
	return labels;
}

/**
 * Orders trajectory clusters by mean exam score (ties: mean earlier score, then cluster index)
 * and names them. Students with a missing (NaN) score or a negative label are not placed.
 */
export function trajectoryClusters(
	prev: ArrayLike<number>,
	exam: ArrayLike<number>,
	labels?: ArrayLike<number> | null,
	k = 3
): TrajectoryGroups {
	const n = Math.min(prev.length, exam.length);
	const ok: number[] = [];
	for (let i = 0; i < n; i++) if (Number.isFinite(prev[i]) && Number.isFinite(exam[i])) ok.push(i);
	const kk = Math.max(1, Math.floor(k));
	const input = labels ?? twoScoreKMeans(prev, exam, ok, kk);
	const sumP = new Array<number>(kk).fill(0);
	const sumE = new Array<number>(kk).fill(0);
	const cnt = new Array<number>(kk).fill(0);
	for (const i of ok) {
		const l = input[i];
		if (!(l >= 0 && l < kk)) continue;
		sumP[l] += prev[i];
		sumE[l] += exam[i];
		cnt[l]++;
	}
	const meanOf = (s: number[], c: number) => (cnt[c] > 0 ? s[c] / cnt[c] : null);
	const order = Array.from({ length: kk }, (_, c) => c).sort((p, r) => {
		const ep = meanOf(sumE, p);
		const er = meanOf(sumE, r);
		if (ep === null || er === null)
			return ep === null && er === null ? p - r : ep === null ? 1 : -1;
		return er - ep || (meanOf(sumP, r) ?? 0) - (meanOf(sumP, p) ?? 0) || p - r;
	});
	const rank = new Int32Array(kk);
	order.forEach((c, r) => (rank[c] = r));
	const out = new Int32Array(prev.length).fill(-1);
	for (const i of ok) {
		const l = input[i];
		if (l >= 0 && l < kk) out[i] = rank[l];
	}
	return {
		labels: out,
		names: trajectoryNames(kk),
		order,
		sizes: order.map((c) => cnt[c]),
		meanPrev: order.map((c) => meanOf(sumP, c)),
		meanExam: order.map((c) => meanOf(sumE, c))
	};
}
