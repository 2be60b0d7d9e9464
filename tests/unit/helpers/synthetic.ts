/** Small statistics and frame helpers shared by the synthetic-data tests. */
import {
	getColumn,
	MISSING_CODE,
	requireNumeric,
	type CategoricalColumn,
	type Column,
	type Frame
} from '../../../src/lib/ml/frame';

export function numeric(frame: Frame, name: string): Float64Array {
	return requireNumeric(frame, name).values;
}

export function categorical(frame: Frame, name: string): CategoricalColumn {
	const c = getColumn(frame, name);
	if (!c || c.kind !== 'categorical') throw new Error(`${name} is not categorical`);
	return c;
}

export function missingShare(c: Column): number {
	let m = 0;
	const n = c.kind === 'numeric' ? c.values.length : c.codes.length;
	for (let i = 0; i < n; i++) {
		if (c.kind === 'numeric' ? Number.isNaN(c.values[i]) : c.codes[i] === MISSING_CODE) m++;
	}
	return m / n;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
	let n = 0;
	let sx = 0;
	let sy = 0;
	for (let i = 0; i < x.length; i++) {
		if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
		n++;
		sx += x[i];
		sy += y[i];
	}
	const mx = sx / n;
	const my = sy / n;
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < x.length; i++) {
		if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) ** 2;
		syy += (y[i] - my) ** 2;
	}
	return sxy / Math.sqrt(sxx * syy);
}

/** Ordinary least squares by the normal equations (Gaussian elimination); returns R² in-sample. */
export function olsR2(features: Float64Array[], y: Float64Array): number {
	const p = features.length + 1;
	const rows: number[] = [];
	for (let i = 0; i < y.length; i++) {
		if (!Number.isNaN(y[i]) && features.every((f) => !Number.isNaN(f[i]))) rows.push(i);
	}
	const row = (i: number): number[] => [1, ...features.map((f) => f[i])];
	const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
	for (const i of rows) {
		const x = row(i);
		for (let j = 0; j < p; j++) {
			for (let k = 0; k < p; k++) a[j][k] += x[j] * x[k];
			a[j][p] += x[j] * y[i];
		}
	}
	for (let c = 0; c < p; c++) {
		let best = c;
		for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[best][c])) best = r;
		[a[c], a[best]] = [a[best], a[c]];
		for (let r = 0; r < p; r++) {
			if (r === c) continue;
			const f = a[r][c] / a[c][c];
			for (let k = c; k <= p; k++) a[r][k] -= f * a[c][k];
		}
	}
	const beta = a.map((r, j) => r[p] / r[j]);
	let mean = 0;
	for (const i of rows) mean += y[i];
	mean /= rows.length;
	let sse = 0;
	let sst = 0;
	for (const i of rows) {
		const x = row(i);
		let yhat = 0;
		for (let j = 0; j < p; j++) yhat += beta[j] * x[j];
		sse += (y[i] - yhat) ** 2;
		sst += (y[i] - mean) ** 2;
	}
	return 1 - sse / sst;
}

export function sameFrame(a: Frame, b: Frame): boolean {
	if (a.nRows !== b.nRows || a.columns.length !== b.columns.length) return false;
	return a.columns.every((ca, i) => {
		const cb = b.columns[i];
		if (ca.name !== cb.name || ca.kind !== cb.kind || ca.type !== cb.type) return false;
		if (ca.kind === 'numeric' && cb.kind === 'numeric') {
			return Buffer.from(ca.values.buffer, ca.values.byteOffset, ca.values.byteLength).equals(
				Buffer.from(cb.values.buffer, cb.values.byteOffset, cb.values.byteLength)
			);
		}
		if (ca.kind === 'categorical' && cb.kind === 'categorical') {
			return (
				JSON.stringify(ca.dictionary) === JSON.stringify(cb.dictionary) &&
				ca.codes.every((v, k) => v === cb.codes[k])
			);
		}
		return false;
	});
}
