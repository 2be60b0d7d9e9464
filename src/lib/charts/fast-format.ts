/**
 * formatNum (src/lib/format.ts) with its Intl.NumberFormat kept per number of digits. Building
 * a NumberFormat costs ~50 µs; the persona dashboard writes thousands of numbers (radar tables,
 * tooltips, box plots), and rebuilding one per number took tens of milliseconds per chart.
 * Same output as formatNum.
 */
const formats = new Map<number, Intl.NumberFormat>();

export function formatNumFast(n: number | null | undefined, digits = 2): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
	let f = formats.get(digits);
	if (!f) {
		// signDisplay 'negative' keeps a rounded -0.0001 from showing as "-0".
		f = new Intl.NumberFormat('en', { maximumFractionDigits: digits, signDisplay: 'negative' });
		formats.set(digits, f);
	}
	return f.format(n);
}
