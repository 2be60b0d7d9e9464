/**
 * Colours and marker shapes for clusters. The Okabe–Ito colours (--c1..--c7 in app.css) in an
 * order that keeps the low-contrast yellow last; beyond seven clusters the colours repeat but
 * the shape changes, so no two clusters share both, and the shape alone tells them apart.
 */
const ORDER = [1, 2, 3, 4, 6, 5, 7];

export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'] as const;
export type Shape = (typeof SHAPES)[number];

/** The CSS colour of cluster `i`; noise (−1) is the muted text colour. */
export function clusterColor(i: number): string {
	if (i < 0) return 'var(--muted)';
	return `var(--c${ORDER[i % ORDER.length]})`;
}

/** The marker shape of cluster `i` (noise: a cross). */
export function clusterShape(i: number): Shape {
	if (i < 0) return 'cross';
	return SHAPES[(i + Math.floor(i / ORDER.length)) % (SHAPES.length - 1)];
}

/** An SVG path of `shape` centred on (x, y) with radius r. */
export function shapePath(shape: Shape, x: number, y: number, r: number): string {
	switch (shape) {
		case 'circle':
			return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
		case 'square': {
			const s = r * 0.88;
			return `M${x - s},${y - s}h${2 * s}v${2 * s}h${-2 * s}Z`;
		}
		case 'triangle': {
			const h = r * 1.15;
			return `M${x},${y - h}L${x + h},${y + h * 0.8}L${x - h},${y + h * 0.8}Z`;
		}
		case 'diamond': {
			const s = r * 1.2;
			return `M${x},${y - s}L${x + s},${y}L${x},${y + s}L${x - s},${y}Z`;
		}
		case 'star': {
			let d = '';
			for (let i = 0; i < 10; i++) {
				const a = (Math.PI / 5) * i - Math.PI / 2;
				const rr = i % 2 === 0 ? r * 1.25 : r * 0.55;
				d += `${i === 0 ? 'M' : 'L'}${x + rr * Math.cos(a)},${y + rr * Math.sin(a)}`;
			}
			return `${d}Z`;
		}
		case 'cross': {
			const s = r * 0.9;
			return `M${x - s},${y - s}L${x + s},${y + s}M${x - s},${y + s}L${x + s},${y - s}`;
		}
	}
}
