/**
 * How the persona dashboard writes values: a feature's average in its own units, or for an
 * ordered category the nearest level with the exact average index ("Medium (1.3)").
 */

import { formatNum as formatNumFast } from '$lib/format';
import type { ClusterFeature } from '$lib/worker/cluster-types';

export function featureValue(f: Pick<ClusterFeature, 'kind' | 'levels'>, v: number): string {
	if (!Number.isFinite(v)) return '—';
	if (f.kind === 'categorical' && f.levels && f.levels.length) {
		const i = Math.max(0, Math.min(f.levels.length - 1, Math.round(v)));
		return `${f.levels[i]} (${formatNumFast(v, 1)})`;
	}
	return formatNumFast(v, Math.abs(v) >= 100 ? 0 : 1);
}

/** A stored value (number or level name) as text. */
export function cellText(v: number | string | null): string {
	if (v === null) return '—';
	return typeof v === 'number' ? formatNumFast(v, 2) : v;
}

/**
 * Generated text names the personas as they were generated; after a teacher renames them the
 * text should use the new names. Longest names first, so that one name inside another is safe.
 */
export function renameIn(text: string, from: readonly string[], to: readonly string[]): string {
	const order = from
		.map((name, i) => ({ name, i }))
		.filter((x) => x.name && to[x.i] && to[x.i] !== x.name)
		.sort((a, b) => b.name.length - a.name.length);
	if (!order.length) return text;
	// Split into text and name slots so a new name equal to another old name is not replaced twice.
	let parts: (string | number)[] = [text];
	for (const { name, i } of order) {
		parts = parts.flatMap((p) =>
			typeof p === 'number' ? [p] : p.split(name).flatMap((s, j) => (j === 0 ? [s] : [i, s]))
		);
	}
	return parts.map((p) => (typeof p === 'number' ? to[p] : p)).join('');
}

export function ordinal(k: number): string {
	const mod100 = k % 100;
	const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
	return `${k}${suffix}`;
}
