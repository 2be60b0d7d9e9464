/**
 * Helpers shared by the chart components: the width a chart is drawn at, tick lists for Axes,
 * the data extents and label shortening. Charts are drawn at the width they are shown at (not
 * scaled from a fixed viewBox), so their text stays at 12 px or more on a phone.
 */
import { extent, scaleLinear, type ScaleLinear } from 'd3';
import { formatNum } from '$lib/format';

/** Space around the plot area, in px. */
export interface Margin {
	top: number;
	right: number;
	bottom: number;
	left: number;
}

/** The margin of the charts with two numeric axes. */
export const MARGIN: Readonly<Margin> = { top: 12, right: 14, bottom: 48, left: 58 };

/** One tick: its position in px along the axis and its text. */
export interface Tick {
	at: number;
	label: string;
}

/** Tick values of the axes on the unit square (probabilities, rates). */
export const UNIT_TICKS: readonly number[] = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** Writes a tick of the unit square: 0, 0.2, …, 1. */
export const unitTickText = (t: number): string => formatNum(t, 1);

/** A scale from 0–1 (a probability or rate) to the px range [from, to]. */
export function unitScale(from: number, to: number): ScaleLinear<number, number> {
	return scaleLinear().domain([0, 1]).range([from, to]);
}

/**
 * The width to draw at: the measured width of the chart's box up to `max`; `fallback` before it
 * has been measured (server rendering, first frame).
 */
export function fitWidth(measured: number, max: number, fallback: number): number {
	return measured > 0 ? Math.min(measured, max) : fallback;
}

/** How many ticks fit along `length` px at one per `spacing` px, never fewer than `min`. */
export function tickCount(length: number, spacing: number, min = 3): number {
	return Math.max(min, Math.floor(length / spacing));
}

/** Ticks at `values`, placed by `scale` and written by `format`. */
export function ticksAt(
	values: readonly number[],
	scale: (v: number) => number,
	format: (v: number) => string
): Tick[] {
	return values.map((v) => ({ at: scale(v), label: format(v) }));
}

/** Pairs x[i] with y[i], keeping the points where both are finite numbers. */
export function finitePoints(x: number[], y: number[]): { x: number; y: number }[] {
	return x
		.map((xv, i) => ({ x: xv, y: y[i] }))
		.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
}

/** The range of `values` for a scale's domain: [0, 1] when empty, widened by 1 when flat. */
export function span(values: Iterable<number>): [number, number] {
	const [lo, hi] = extent(values) as [number | undefined, number | undefined];
	if (lo === undefined || hi === undefined) return [0, 1];
	return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** `s` shortened to `max` characters (at least 2), the last one an ellipsis. */
export function clipText(s: string, max: number): string {
	const n = Math.max(2, max);
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
