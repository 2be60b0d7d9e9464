/** Number formatting for the outcome messages (no Intl dependency on locale: always "6.25"). */
export function formatNum(x: number, digits: number): string {
	if (!Number.isFinite(x)) return '—';
	const s = x.toFixed(digits);
	// "6.50" → "6.5", "7.00" → "7"; keeps "-0" out.
	const t = digits > 0 ? s.replace(/\.?0+$/, '') : s;
	return t === '-0' ? '0' : t;
}
