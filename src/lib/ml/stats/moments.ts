/**
 * Count, range, mean and sum of squared deviations of a numeric column in one pass, missing
 * (NaN) values skipped. Welford's update keeps it stable for marks around 50 ± 0.01 as well as
 * for timestamps around 1.7e12. Shared by column profiles and the import's validation report.
 */
export interface Moments {
	n: number;
	min: number;
	max: number;
	mean: number;
	/** Sum of squared deviations from the mean: variance is m2 / (n - 1). */
	m2: number;
}

export function moments(values: Float64Array): Moments {
	let n = 0;
	let min = Infinity;
	let max = -Infinity;
	let mean = 0;
	let m2 = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (v !== v) continue;
		n++;
		const d = v - mean;
		mean += d / n;
		m2 += d * (v - mean);
		if (v < min) min = v;
		if (v > max) max = v;
	}
	return { n, min, max, mean, m2 };
}
