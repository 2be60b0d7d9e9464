/** Shared data and model builders for the explanation and risk tests. */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {
	categoricalColumn,
	makeFrame,
	numericColumn,
	takeRows,
	type Frame
} from '../../../src/lib/ml/frame';
import { neverCancelled, noProgress } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';
import { fitFamily, type Params } from '../../../src/lib/ml/train/families';
import { featureDistributions } from '../../../src/lib/ml/train/fingerprint';
import type {
	FeatureDistribution,
	Family,
	ModelArtifact,
	Task
} from '../../../src/lib/ml/train/types';
import { withLayers } from '../../../src/lib/ml/nn/tf';

export const tf = withLayers(tfc, tfl);

export async function useCpu(): Promise<void> {
	await tfc.setBackend('cpu');
	await tfc.ready();
}

export const FEATURES = ['attendance', 'assignment_score', 'school_type', 'sleep_hours', 'club'];
const SCHOOLS = ['public', 'private', 'charter'];
const CLUBS = ['chess', 'drama', 'none', 'robotics'];

/**
 * A class-like table: numbers with gaps (attendance, sleep_hours), categories with gaps (club),
 * a mark that depends on all of them, and class labels cut from the mark.
 */
export function classData(n: number, seed = 1): { frame: Frame; mark: Float64Array } {
	const rng = createRng(seed);
	const attendance = new Float64Array(n);
	const assignment = new Float64Array(n);
	const sleep = new Float64Array(n);
	const school: (string | null)[] = [];
	const club: (string | null)[] = [];
	const mark = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		attendance[i] = rng.next() < 0.08 ? NaN : Math.round(rng.uniform(2, 10) * 10) / 10;
		assignment[i] = Math.round(rng.uniform(20, 100));
		sleep[i] = rng.next() < 0.1 ? NaN : Math.round(rng.uniform(4, 10) * 2) / 2;
		school.push(SCHOOLS[rng.int(3)]);
		club.push(rng.next() < 0.1 ? null : CLUBS[rng.int(4)]);
		const a = Number.isNaN(attendance[i]) ? 5 : attendance[i];
		const s = Number.isNaN(sleep[i]) ? 7 : sleep[i];
		mark[i] =
			4 * a +
			0.4 * assignment[i] +
			(school[i] === 'private' ? 6 : school[i] === 'charter' ? -3 : 0) +
			(club[i] === 'chess' ? 4 : 0) +
			2 * Math.abs(s - 7.5) * -1 +
			rng.normal() * 4;
	}
	const frame = makeFrame([
		numericColumn('attendance', attendance),
		numericColumn('assignment_score', assignment, 'integer'),
		categoricalColumn('school_type', school),
		numericColumn('sleep_hours', sleep),
		categoricalColumn('club', club),
		numericColumn('final_exam', mark)
	]);
	return { frame, mark };
}

export function labels(
	task: Task,
	mark: Float64Array
): { y: Float64Array; classes: string[] | null } {
	if (task === 'regression') return { y: mark, classes: null };
	const sorted = Float64Array.from(mark).sort();
	if (task === 'binary') {
		const cut = sorted[Math.floor(sorted.length * 0.35)];
		return { y: Float64Array.from(mark, (m) => (m < cut ? 0 : 1)), classes: ['fail', 'pass'] };
	}
	const lo = sorted[Math.floor(sorted.length / 3)];
	const hi = sorted[Math.floor((2 * sorted.length) / 3)];
	return {
		y: Float64Array.from(mark, (m) => (m < lo ? 0 : m < hi ? 1 : 2)),
		classes: ['C', 'B', 'A']
	};
}

const PARAMS: Record<Family, Params> = {
	baseline: {},
	linear: { alpha: 1, C: 1 },
	rf: { trees: 20, minSamplesLeaf: 3 },
	gbdt: { rounds: 40, maxLeaves: 15, minSamplesLeaf: 5 },
	mlp: { hidden: [8], epochs: 15, dropout: 0 }
};

export interface Built {
	artifact: ModelArtifact;
	frame: Frame;
	distributions: FeatureDistribution[];
	train: Uint32Array;
}

/** Fits one family on the first `nTrain` rows and wraps it as a saved artifact. */
export async function buildArtifact(
	family: Family,
	task: Task,
	n = 300,
	seed = 1,
	params: Params = PARAMS[family]
): Promise<Built> {
	const { frame, mark } = classData(n, seed);
	const { y, classes } = labels(task, mark);
	const train = Uint32Array.from({ length: n }, (_, i) => i);
	const fitted = await fitFamily(
		family,
		frame,
		FEATURES,
		train,
		y,
		{ task, nClasses: classes?.length ?? 0 },
		params,
		{ tf, seed: 3, balanced: false, progress: noProgress, cancel: neverCancelled }
	);
	const artifact: ModelArtifact = {
		format: 'classlens-model',
		version: 1,
		task,
		target: task === 'regression' ? 'final_exam' : 'result',
		derive: null,
		features: [...FEATURES],
		classes,
		pipeline: fitted.pipeline,
		model: fitted.model,
		residualQuantiles: task === 'regression' ? { q05: -6, q95: 6 } : null
	};
	return { artifact, frame, distributions: featureDistributions(frame, FEATURES, train), train };
}

/** A scoring frame with a missing number, a missing category and a never-seen category. */
export function awkwardRows(frame: Frame): Frame {
	const sub = takeRows(frame, [0, 1, 2, 3]);
	const columns = sub.columns.map((c) => {
		if (c.name === 'attendance' && c.kind === 'numeric') {
			const v = Float64Array.from(c.values);
			v[0] = NaN;
			return { ...c, values: v };
		}
		if (c.name === 'club')
			return categoricalColumn('club', ['underwater hockey', null, 'chess', 'drama']);
		if (c.name === 'school_type')
			return categoricalColumn('school_type', ['public', 'online', null, 'private']);
		return c;
	});
	return makeFrame(columns);
}

export function allRows(n: number): Uint32Array {
	return Uint32Array.from({ length: n }, (_, i) => i);
}

/** |a − b| within `rel` of max(1, |b|). */
export function closeRel(a: number, b: number, rel = 1e-6): boolean {
	return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}
