/**
 * The what-if form: one field per model feature, with the range and categories the model saw in
 * training, validated field by field. Pure, so the page validates as the teacher types (no round
 * trip to the worker) and the worker validates the same way before it scores.
 */
import { categoricalColumn, makeFrame, numericColumn, type Column, type Frame } from '../frame';
import type { FeatureDistribution, ModelArtifact } from '../train/types';

export interface NumericField {
	kind: 'numeric';
	name: string;
	label: string;
	/** Training range; values outside it are allowed with a warning. */
	min: number;
	max: number;
	/** Slider step: 1 for whole-number features, else about a hundredth of the range. */
	step: number;
	/** The class median: the form's starting value. */
	median: number;
	/** The 10th and 90th percentiles, to say whether a value is unusual. */
	p10: number;
	p90: number;
	/** Share of training rows with no value; the field may be left empty when > 0. */
	missingRate: number;
}

export interface CategoricalField {
	kind: 'categorical';
	name: string;
	label: string;
	/** Most frequent first. */
	options: string[];
	mode: string;
	missingRate: number;
}

export type FormField = NumericField | CategoricalField;

export interface PredictionForm {
	fields: FormField[];
}

export type InputValue = number | string | null;
export type FormValues = Record<string, InputValue>;

export interface FieldIssue {
	field: string;
	message: string;
}

export interface Validated {
	values: FormValues;
	errors: FieldIssue[];
	warnings: FieldIssue[];
}

/** "attendance_percentage" → "Attendance percentage". */
export function humanise(name: string): string {
	const s = name.replace(/[_\s]+/g, ' ').trim();
	return s ? s[0].toUpperCase() + s.slice(1) : name;
}

function niceStep(range: number): number {
	if (!(range > 0)) return 1;
	const raw = range / 100;
	const p = 10 ** Math.floor(Math.log10(raw));
	const m = raw / p;
	return (m < 2 ? 1 : m < 5 ? 2 : 5) * p;
}

function numericField(d: Extract<FeatureDistribution, { kind: 'numeric' }>): NumericField {
	const q = d.quantiles;
	const min = Number.isFinite(d.min) ? d.min : 0;
	const max = Number.isFinite(d.max) ? d.max : min;
	const whole = [min, max, ...q].every((v) => !Number.isFinite(v) || Number.isInteger(v));
	const median =
		q.length === 11 && Number.isFinite(q[5]) ? q[5] : Number.isFinite(d.mean) ? d.mean : min;
	return {
		kind: 'numeric',
		name: d.name,
		label: humanise(d.name),
		min,
		max,
		step: whole && max - min >= 2 ? 1 : niceStep(max - min),
		median,
		p10: q.length === 11 ? q[1] : min,
		p90: q.length === 11 ? q[9] : max,
		missingRate: d.missingRate
	};
}

/**
 * Fields in the model's feature order. A feature with no stored distribution (a model imported
 * from a file made elsewhere) gets an open numeric field or a free category list.
 */
export function buildForm(
	artifact: Pick<ModelArtifact, 'features'>,
	distributions: FeatureDistribution[]
): PredictionForm {
	const byName = new Map(distributions.map((d) => [d.name, d]));
	return {
		fields: artifact.features.map((name): FormField => {
			const d = byName.get(name);
			if (d?.kind === 'numeric') return numericField(d);
			if (d?.kind === 'categorical') {
				const options = d.categories.map((c) => c.label).filter((l) => l !== '(other)');
				return {
					kind: 'categorical',
					name,
					label: humanise(name),
					options,
					mode: options[0] ?? '',
					missingRate: d.missingRate
				};
			}
			return {
				kind: 'numeric',
				name,
				label: humanise(name),
				min: 0,
				max: 100,
				step: 1,
				median: 0,
				p10: 0,
				p90: 100,
				missingRate: 1
			};
		})
	};
}

/** The form's starting values: every field at the class median or most common category. */
export function defaultValues(form: PredictionForm): FormValues {
	const out: FormValues = {};
	for (const f of form.fields) out[f.name] = f.kind === 'numeric' ? f.median : f.mode || null;
	return out;
}

const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/;

function parseNumber(raw: string): number | null {
	const s = raw.trim();
	if (!NUMBER.test(s)) return null;
	const v = Number(s.replace(',', '.'));
	return Number.isFinite(v) ? v : null;
}

function fmt(v: number): string {
	return String(Math.round(v * 100) / 100);
}

/**
 * Checks raw input (strings from a form, URL or file, or numbers from a slider). An empty value
 * is allowed where training had gaps (the model imputes it as it learnt), an error otherwise.
 * Numbers outside the training range are warnings: the model still answers, less reliably.
 */
export function validateInput(
	form: PredictionForm,
	raw: Record<string, string | number | null | undefined>
): Validated {
	const values: FormValues = {};
	const errors: FieldIssue[] = [];
	const warnings: FieldIssue[] = [];
	for (const f of form.fields) {
		const r = raw[f.name];
		const empty = r === null || r === undefined || (typeof r === 'string' && r.trim() === '');
		if (empty) {
			values[f.name] = null;
			if (f.missingRate === 0)
				errors.push({ field: f.name, message: `${f.label} is needed: enter a value.` });
			continue;
		}
		if (f.kind === 'numeric') {
			const v = typeof r === 'number' ? (Number.isFinite(r) ? r : null) : parseNumber(String(r));
			if (v === null) {
				errors.push({
					field: f.name,
					message: `${f.label} must be a number (you entered "${String(r).slice(0, 40)}").`
				});
				values[f.name] = null;
				continue;
			}
			values[f.name] = v;
			if (v < f.min || v > f.max)
				warnings.push({
					field: f.name,
					message: `${f.label} ${fmt(v)} is outside the range seen in training (${fmt(f.min)}–${fmt(f.max)}); the prediction is less reliable there.`
				});
		} else {
			const s = String(r).trim();
			const match =
				f.options.find((o) => o === s) ??
				f.options.find((o) => o.toLowerCase() === s.toLowerCase());
			if (match === undefined && f.options.length > 0) {
				const shown = f.options
					.slice(0, 6)
					.map((o) => `"${o}"`)
					.join(', ');
				errors.push({
					field: f.name,
					message: `${f.label} "${s.slice(0, 40)}" was not seen in training; choose one of ${shown}${f.options.length > 6 ? ', …' : ''}.`
				});
				values[f.name] = null;
				continue;
			}
			values[f.name] = match ?? s;
		}
	}
	return { values, errors, warnings };
}

/** A one-row frame (or several rows, for what-if curves) the model can score. */
export function valuesFrame(form: PredictionForm, rows: FormValues[]): Frame {
	const cols: Column[] = form.fields.map((f) =>
		f.kind === 'numeric'
			? numericColumn(
					f.name,
					Float64Array.from(rows, (r) =>
						typeof r[f.name] === 'number' ? (r[f.name] as number) : NaN
					)
				)
			: categoricalColumn(
					f.name,
					rows.map((r) =>
						r[f.name] === null || r[f.name] === undefined ? null : String(r[f.name])
					)
				)
	);
	return makeFrame(cols);
}

/**
 * The range a mark can take, read from the marks seen in training: 0 at the bottom when none was
 * negative, and the top of the usual scale (10, 20 or 100) when the marks fit under it. An
 * interval from residuals can otherwise reach past it ("−2 to 27"), which no teacher can read.
 */
export function markBounds(sample: ArrayLike<number> | null | undefined): [number, number] {
	let lo = Infinity;
	let hi = -Infinity;
	for (let i = 0; i < (sample?.length ?? 0); i++) {
		const v = sample![i];
		if (v < lo) lo = v;
		if (v > hi) hi = v;
	}
	if (!(hi >= lo)) return [-Infinity, Infinity];
	const top = hi <= 1 ? 1 : hi <= 10 ? 10 : hi <= 20 ? 20 : hi <= 100 ? 100 : Infinity;
	return [lo >= 0 ? 0 : -Infinity, top];
}
