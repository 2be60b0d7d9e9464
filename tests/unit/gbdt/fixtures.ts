import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { categoricalColumn, makeFrame, numericColumn, sliceRows, type Frame } from '$lib/ml/frame';

export interface Fixture {
	columns: (number | null)[][];
	categorical: number[];
	y: number[];
	nTrain: number;
	[metric: string]: unknown;
}

export function loadFixture(name: string): {
	fx: Fixture;
	train: Frame;
	test: Frame;
	yTrain: Float64Array;
	yTest: Float64Array;
} {
	const path = fileURLToPath(new URL(`../../fixtures/gbdt/${name}.json`, import.meta.url));
	const fx = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
	const frame = makeFrame(
		fx.columns.map((col, j) =>
			fx.categorical.includes(j)
				? categoricalColumn(
						`x${j}`,
						col.map((v) => (v === null ? null : `level-${v}`))
					)
				: numericColumn(
						`x${j}`,
						col.map((v) => (v === null ? NaN : v))
					)
		)
	);
	const y = Float64Array.from(fx.y);
	const n = fx.nTrain;
	return {
		fx,
		train: sliceRows(frame, 0, n),
		test: sliceRows(frame, n, frame.nRows),
		yTrain: y.subarray(0, n),
		yTest: y.subarray(n)
	};
}

export function metric(fx: Fixture, key: string): number {
	const v = fx[key];
	if (typeof v !== 'number') throw new Error(`Fixture has no metric ${key}`);
	return v;
}
