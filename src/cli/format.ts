/** Small text helpers for the commands' human-readable output. */

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function textTable(header: string[], rows: string[][], indent = 2): string {
	const all = [header, ...rows];
	const widths = header.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
	return all
		.map(
			(r) =>
				' '.repeat(indent) +
				r
					.map((cell, j) => (j === r.length - 1 ? cell : cell.padEnd(widths[j])))
					.join('  ')
					.trimEnd()
		)
		.join('\n');
}

/** A number for people: up to `digits` significant decimals, no exponent for everyday sizes. */
export function num(x: number | null | undefined, digits = 4): string {
	if (x === null || x === undefined || Number.isNaN(x)) return '–';
	if (Number.isInteger(x)) return x.toLocaleString('en');
	const abs = Math.abs(x);
	if (abs >= 1e6 || abs < 1e-4) return x.toPrecision(digits);
	return String(Number(x.toPrecision(digits)));
}

export function percent(fraction: number): string {
	if (fraction === 0) return '0%';
	const p = fraction * 100;
	// "0.3%" rather than "0%" so a little missing data never reads as none.
	return p < 1 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
	return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
