/**
 * Which models a training run scores: the baseline always, then one default configuration per
 * chosen family — or, in auto mode, a small fixed grid per family. The grids are deliberately
 * tiny and bounded (at most three settings per family): class-sized data cannot tell finer
 * settings apart, and a teacher should not wait minutes for a search that changes nothing.
 */
import { FAMILIES, type Family, type FamilyParams, type Task } from './types';
import type { Params } from './families';

export interface CandidateSpec {
	family: Family;
	label: string;
	params: Params;
}

/** Above this many labelled rows auto mode tries one setting per family (time grows with rows). */
export const LARGE_DATA_ROWS = 50_000;

/** Small leaves on small data: 20 rows per leaf would leave a 150-row fold with a few splits. */
export function defaultMinLeaf(nRows: number): number {
	return Math.max(5, Math.min(20, Math.round(nRows / 50)));
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);

export function candidateLabel(family: Family, task: Task, p: Params): string {
	switch (family) {
		case 'baseline':
			return task === 'regression'
				? 'Baseline (everyone gets the average)'
				: 'Baseline (everyone gets the most common outcome)';
		case 'linear':
			return task === 'regression'
				? `Ridge regression (α ${fmt(Number(p.alpha))})`
				: `Logistic regression (C ${fmt(Number(p.C))})`;
		case 'gbdt':
			return `Gradient boosting (${p.maxLeaves} leaves, learning rate ${fmt(Number(p.learningRate))})`;
		case 'rf':
			return `Random forest (${p.trees} trees, ≥ ${p.minSamplesLeaf} per leaf)`;
		case 'mlp': {
			const hidden = Array.isArray(p.hidden) ? p.hidden.join('–') : String(p.hidden);
			return `Neural network (${hidden} units, dropout ${fmt(Number(p.dropout))})`;
		}
	}
}

function defaults(family: Family, task: Task, nRows: number): Params {
	switch (family) {
		case 'baseline':
			return {};
		case 'linear':
			return task === 'regression' ? { alpha: 1 } : { C: 1 };
		case 'gbdt':
			return {
				rounds: 300,
				learningRate: 0.1,
				maxLeaves: 15,
				minSamplesLeaf: defaultMinLeaf(nRows)
			};
		case 'rf':
			// Leaves of one row make a forest slow on a thousand rows and add little over three.
			return { trees: 100, maxLeaves: 0, minSamplesLeaf: 3 };
		case 'mlp':
			return { hidden: [32, 16], dropout: 0.1, epochs: 100, learningRate: 0.005 };
	}
}

function grid(family: Family, task: Task, nRows: number): Params[] {
	const base = defaults(family, task, nRows);
	switch (family) {
		case 'baseline':
			return [base];
		case 'linear':
			return task === 'regression'
				? [0.1, 1, 10].map((alpha) => ({ alpha }))
				: [0.1, 1, 10].map((C) => ({ C }));
		case 'gbdt':
			return [
				{ ...base, maxLeaves: 7, learningRate: 0.05, rounds: 500 },
				{ ...base, maxLeaves: 15, learningRate: 0.1 },
				{ ...base, maxLeaves: 31, learningRate: 0.1 }
			];
		case 'rf':
			return [
				{ ...base, minSamplesLeaf: 3 },
				{ ...base, minSamplesLeaf: 10 }
			];
		case 'mlp':
			return [
				{ ...base, hidden: [32, 16], dropout: 0.1 },
				{ ...base, hidden: [64], dropout: 0.2 }
			];
	}
}

/** The user's explicit parameters for a family, with absent keys dropped. */
function overrides(family: Family, params: FamilyParams | undefined): Params {
	const p = (params?.[family] ?? {}) as Record<string, unknown>;
	const out: Params = {};
	for (const [k, v] of Object.entries(p)) {
		if (typeof v === 'number' || Array.isArray(v)) out[k] = v as number | number[];
	}
	return out;
}

/**
 * The baseline first, then each chosen family in simplicity order (the order ties are broken in).
 * Explicit parameters fix that family to one setting even in auto mode.
 */
export function buildCandidates(
	families: readonly Family[],
	task: Task,
	nRows: number,
	auto: boolean,
	params?: FamilyParams
): CandidateSpec[] {
	const chosen = new Set<Family>(['baseline', ...families]);
	const out: CandidateSpec[] = [];
	for (const family of FAMILIES) {
		if (!chosen.has(family)) continue;
		const fixed = overrides(family, params);
		const settings =
			auto && nRows <= LARGE_DATA_ROWS && Object.keys(fixed).length === 0
				? grid(family, task, nRows)
				: [{ ...defaults(family, task, nRows), ...fixed }];
		for (const p of settings)
			out.push({ family, label: candidateLabel(family, task, p), params: p });
	}
	return out;
}

export const FAMILY_NAMES: Record<Family, string> = {
	baseline: 'Baseline',
	linear: 'Linear model',
	rf: 'Random forest',
	gbdt: 'Gradient boosting',
	mlp: 'Neural network'
};
