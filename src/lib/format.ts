/** Number and date formatting for people: no float noise, units where they help. */

const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
	return nf0.format(n);
}

const numberFormats = new Map<number, Intl.NumberFormat>();

/**
 * Up to `digits` significant decimals, trailing zeros dropped. The formatter is kept per digit
 * count: building one costs ~50 µs, and a chart writes thousands of numbers.
 */
export function formatNum(n: number | null | undefined, digits = 2): string {
	if (n === null || n === undefined || Number.isNaN(n)) return '—';
	if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
	let f = numberFormats.get(digits);
	if (!f) {
		// signDisplay 'negative' keeps a rounded -0.0001 from showing as "-0".
		f = new Intl.NumberFormat('en', { maximumFractionDigits: digits, signDisplay: 'negative' });
		numberFormats.set(digits, f);
	}
	return f.format(n);
}

export function formatPct(fraction: number, digits = 0): string {
	if (!Number.isFinite(fraction)) return '—';
	return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '—';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let v = bytes;
	let i = 0;
	while (v >= 1024 && i < units.length - 1) {
		v /= 1024;
		i++;
	}
	return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDate(ms: number): string {
	return new Date(ms).toLocaleString('en-GB', {
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	});
}

export function formatSeconds(s: number): string {
	if (!Number.isFinite(s)) return '—';
	if (s < 1) return `${Math.round(s * 1000)} ms`;
	if (s < 60) return `${s.toFixed(1)} s`;
	return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
