/** Preparing class data for clustering: imputation, scaling rules, one-hot weights, round trips. */
import { describe, expect, it } from 'vitest';
import { AppException } from '../../../src/lib/errors';
import {
	applyPrepared,
	CATEGORY_WEIGHT,
	centersToOriginal,
	NORMAL_IQR,
	OTHER_LEVEL,
	prepareMatrix
} from '../../../src/lib/ml/cluster/prepare';
import { categoricalColumn, makeFrame, numericColumn } from '../../../src/lib/ml/frame';

function code(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppException) return e.appError.code;
		throw e;
	}
	return 'no error';
}

const frame = makeFrame([
	numericColumn('attendance', [90, 80, NaN, 70, 60, 100]),
	numericColumn('hours', [1, 2, 3, 4, 5, 6]),
	numericColumn('flag', [0, 1, 0, 0, NaN, 1], 'boolean'),
	categoricalColumn('school', ['public', 'private', 'public', null, 'public', 'private']),
	numericColumn('same', [3, 3, 3, 3, 3, 3]),
	categoricalColumn('id', ['a', 'b', 'c', 'd', 'e', 'f'], 'identifier')
]);

describe('prepareMatrix', () => {
	const p = prepareMatrix(frame, ['attendance', 'hours', 'flag', 'school', 'same'], {
		scaling: 'standard'
	});

	it('standardises numbers after filling gaps with the median (population SD)', () => {
		const filled = [90, 80, 80, 70, 60, 100];
		const mean = filled.reduce((a, b) => a + b) / 6;
		const sd = Math.sqrt(filled.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
		const col = p.columns.indexOf('attendance');
		for (let i = 0; i < 6; i++) {
			expect(p.X.data[i * p.X.d + col]).toBeCloseTo((filled[i] - mean) / sd, 12);
		}
		const report = p.report.features.find((f) => f.name === 'attendance');
		expect(report).toMatchObject({ missing: 1, filledWith: 80, method: 'standard' });
		expect(p.report.warnings.join(' ')).toContain(
			'1 missing value in "attendance" filled with the median, 80'
		);
	});

	it('keeps 0/1 features as 0/1 and one-hot encodes categories at 1/√2', () => {
		expect(p.columns).toEqual(['attendance', 'hours', 'flag', 'school=public', 'school=private']);
		const flag = p.columns.indexOf('flag');
		expect(Array.from({ length: 6 }, (_, i) => p.X.data[i * p.X.d + flag])).toEqual([
			0, 1, 0, 0, 0, 1
		]);
		const pub = p.columns.indexOf('school=public');
		// The missing school is filled with the most common one, "public".
		expect(Array.from({ length: 6 }, (_, i) => p.X.data[i * p.X.d + pub])).toEqual(
			[1, 0, 1, 1, 1, 0].map((v) => v * CATEGORY_WEIGHT)
		);
		// Two students in different schools are exactly 1 apart on this feature.
		const diff = (p.X.data[0 * p.X.d + pub] - p.X.data[1 * p.X.d + pub]) ** 2 * 2;
		expect(diff).toBeCloseTo(1, 14);
	});

	it('leaves out constant features and reports them', () => {
		expect(p.columns).not.toContain('same');
		expect(p.report.features.find((f) => f.name === 'same')?.dropped).toBe('constant');
		expect(p.report.warnings.join(' ')).toContain('"same" has the same value for everyone');
	});

	it('puts a new student in the same space and brings centres back to original units', () => {
		const again = applyPrepared(p.scaler, frame);
		expect(again.X.data).toEqual(p.X.data);
		expect(again.imputed).toBe(3);
		const scenario = makeFrame([
			numericColumn('attendance', [85]),
			numericColumn('hours', [NaN]),
			categoricalColumn('flag', ['1']),
			categoricalColumn('school', ['charter']),
			numericColumn('same', [9])
		]);
		const one = applyPrepared(p.scaler, scenario);
		expect(one.imputed).toBe(1);
		expect(one.unknownCategories).toBe(1);
		expect(one.X.data[p.columns.indexOf('flag')]).toBe(1);
		expect(one.X.data[p.columns.indexOf('school=public')]).toBe(0);
		// Centre = mean of rows 0..2 in prepared space.
		const centre = new Float64Array(p.X.d);
		for (let i = 0; i < 3; i++)
			for (let f = 0; f < p.X.d; f++) centre[f] += p.X.data[i * p.X.d + f] / 3;
		const [orig] = centersToOriginal(p.scaler, centre, 1);
		expect(orig.numeric.attendance).toBeCloseTo((90 + 80 + 80) / 3, 10);
		expect(orig.numeric.hours).toBeCloseTo(2, 10);
		expect(orig.numeric.flag).toBeCloseTo(1 / 3, 12);
		expect(orig.numeric.same).toBe(3);
		expect(orig.categorical.school.mode).toBe('public');
		expect(orig.categorical.school.shares.public).toBeCloseTo(2 / 3, 12);
	});

	it('survives JSON, as the scaler is stored with a clustering', () => {
		const scaler = JSON.parse(JSON.stringify(p.scaler));
		expect(applyPrepared(scaler, frame).X.data).toEqual(p.X.data);
	});
});

describe('scaling rules', () => {
	const normalish = Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7) * 10 + 50);
	const withOutlier = [...normalish.slice(0, 199), 5000];
	const f = makeFrame([numericColumn('a', normalish), numericColumn('b', withOutlier)]);

	it('auto scales a feature with far-out values robustly, the others by mean and SD', () => {
		const p = prepareMatrix(f, ['a', 'b'], { scaling: 'auto' });
		expect(p.scaler.features.map((s) => s.kind === 'numeric' && s.method)).toEqual([
			'standard',
			'robust'
		]);
		expect(p.report.features[1].outliers).toBe(1);
		const s = p.scaler.features[1];
		if (s.kind !== 'numeric') throw new Error('numeric expected');
		const sorted = [...withOutlier].sort((x, y) => x - y);
		const q = (t: number) => {
			const pos = t * (sorted.length - 1);
			const lo = Math.floor(pos);
			return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (pos - lo);
		};
		expect(s.center).toBeCloseTo(q(0.5), 12);
		expect(s.scale).toBeCloseTo((q(0.75) - q(0.25)) / NORMAL_IQR, 12);
	});

	it('robust and standard follow the request; robust falls back to SD when the IQR is 0', () => {
		expect(prepareMatrix(f, ['a'], { scaling: 'robust' }).scaler.features[0]).toMatchObject({
			method: 'robust'
		});
		expect(prepareMatrix(f, ['b'], { scaling: 'standard' }).scaler.features[0]).toMatchObject({
			method: 'standard'
		});
		const spiky = makeFrame([numericColumn('c', [1, 1, 1, 1, 1, 1, 1, 2, 9])]);
		expect(prepareMatrix(spiky, ['c'], { scaling: 'robust' }).scaler.features[0]).toMatchObject({
			method: 'standard'
		});
	});

	it('pools rare categories beyond maxCategories into "(other)"', () => {
		const words = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'e'];
		const p = prepareMatrix(makeFrame([categoricalColumn('w', words)]), ['w'], {
			scaling: 'standard',
			maxCategories: 3
		});
		expect(p.columns).toEqual(['w=a', 'w=b', `w=${OTHER_LEVEL}`]);
		expect(p.report.features[0].pooled).toBe(3);
		const [c] = centersToOriginal(
			p.scaler,
			Float64Array.from([0.5, 0.25, 0.25].map((v) => v * CATEGORY_WEIGHT)),
			1
		);
		expect(c.categorical.w).toEqual({
			mode: 'a',
			shares: { a: 0.5, b: 0.25, [OTHER_LEVEL]: 0.25 }
		});
	});

	it('drops rows with gaps when asked, and says how many', () => {
		const p = prepareMatrix(frame, ['attendance', 'flag'], {
			scaling: 'standard',
			missing: 'drop'
		});
		expect(Array.from(p.rowsUsed)).toEqual([0, 1, 3, 5]);
		expect(p.report.rowsDropped).toBe(2);
		expect(p.X.n).toBe(4);
	});
});

describe('prepareMatrix errors', () => {
	it('name the missing column, and refuse when nothing varies', () => {
		expect(code(() => prepareMatrix(frame, ['nope'], { scaling: 'auto' }))).toBe('missing-column');
		expect(code(() => prepareMatrix(frame, [], { scaling: 'auto' }))).toBe('cluster-no-features');
		expect(code(() => prepareMatrix(frame, ['same'], { scaling: 'auto' }))).toBe(
			'cluster-no-variation'
		);
		expect(code(() => prepareMatrix(frame, ['hours', 'hours'], { scaling: 'auto' }))).toBe(
			'duplicate-feature'
		);
		const empty = makeFrame([numericColumn('x', [NaN, NaN])]);
		expect(code(() => prepareMatrix(empty, ['x'], { scaling: 'auto' }))).toBe(
			'cluster-no-variation'
		);
		expect(code(() => prepareMatrix(empty, ['x'], { scaling: 'auto', missing: 'drop' }))).toBe(
			'cluster-no-rows'
		);
		const text = makeFrame([categoricalColumn('hours', ['many'])]);
		const p = prepareMatrix(frame, ['hours'], { scaling: 'auto' });
		expect(code(() => applyPrepared(p.scaler, text))).toBe('feature-type');
	});
});
