/**
 * Adjusted Rand index, exactly as scikit-learn's adjusted_rand_score: pair counts from the
 * contingency table (ordered pairs, as pair_confusion_matrix counts them), 1.0 when the two
 * labelings never disagree about a pair (including empty input and all-singletons), and the
 * final ratio from exact integer counts (BigInt) so large inputs lose nothing before the one
 * division, as Python's integers do. 1 = same grouping, about 0 = no better than chance.
 */

function denseCodes(labels: ArrayLike<number>): { codes: Int32Array; k: number } {
	const index = new Map<number, number>();
	const codes = new Int32Array(labels.length);
	for (let i = 0; i < labels.length; i++) {
		let c = index.get(labels[i]);
		if (c === undefined) {
			c = index.size;
			index.set(labels[i], c);
		}
		codes[i] = c;
	}
	return { codes, k: index.size };
}

/** Pair confusion counts [[tn, fp], [fn, tp]] over ordered pairs, as BigInt. */
export function pairConfusion(
	labelsTrue: ArrayLike<number>,
	labelsPred: ArrayLike<number>
): { tn: bigint; fp: bigint; fn: bigint; tp: bigint } {
	const n = labelsTrue.length;
	if (labelsPred.length !== n) {
		throw new RangeError(`The labelings have different lengths (${n} and ${labelsPred.length}).`);
	}
	const a = denseCodes(labelsTrue);
	const b = denseCodes(labelsPred);
	const rowSums = new Float64Array(a.k);
	const colSums = new Float64Array(b.k);
	const cells = new Map<number, number>();
	for (let i = 0; i < n; i++) {
		rowSums[a.codes[i]]++;
		colSums[b.codes[i]]++;
		const key = a.codes[i] * b.k + b.codes[i];
		cells.set(key, (cells.get(key) ?? 0) + 1);
	}
	const N = BigInt(n);
	let sumSquares = 0n;
	let cDotColSums = 0n;
	let cDotRowSums = 0n;
	for (const [key, count] of cells) {
		const c = BigInt(count);
		sumSquares += c * c;
		cDotColSums += c * BigInt(colSums[key % b.k]);
		cDotRowSums += c * BigInt(rowSums[Math.floor(key / b.k)]);
	}
	const tp = sumSquares - N;
	const fp = cDotColSums - sumSquares;
	const fn = cDotRowSums - sumSquares;
	const tn = N * N - fp - fn - sumSquares;
	return { tn, fp, fn, tp };
}

export function adjustedRandIndex(
	labelsTrue: ArrayLike<number>,
	labelsPred: ArrayLike<number>
): number {
	const { tn, fp, fn, tp } = pairConfusion(labelsTrue, labelsPred);
	if (fn === 0n && fp === 0n) return 1;
	const num = tp * tn - fn * fp;
	const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
	// Python: 2.0 * num / den converts each integer to a float once, then divides.
	return (2 * Number(num)) / Number(den);
}
