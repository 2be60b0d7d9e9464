/**
 * The import plan: what the preview shows and the teacher edits (types, roles, ranges), and what
 * the builder then follows for every cell of the file. Proposing one is the only step that sees
 * the sample as strings; everything after works on typed arrays.
 */
import type { ColumnRole, ColumnType } from '../ml/frame';
import { makeSafeHeader } from './headers';
import { inferColumn, inferDecimal, type InferredColumn } from './infer/infer';
import type { DateOrder, DecimalMark } from './infer/values';
import {
	chooseScale,
	detectLongFormat,
	fieldOf,
	matchProfile,
	rangeFromName,
	roleForType,
	type LongFormatInfo,
	type ProfileMatch
} from './profiles';
import { DEFAULT_MISSING_TOKENS, type DataIssue } from './types';

export type { LongFormatInfo, ProfileMatch } from './profiles';

export interface ValueRange {
	min?: number;
	max?: number;
	/** What the range means, for messages: "percent (0–100)". */
	label: string;
}

export interface ColumnPlan {
	/** 0-based position of the column in the file's records. */
	index: number;
	/** The header as written in the file. */
	original: string;
	/** Unique, safe name (headers.ts); the frame's column name. */
	name: string;
	type: ColumnType;
	role: ColumnRole;
	/** For datetime columns: how dd/mm/yyyy-style dates are read (ISO is always year-first). */
	dateOrder?: DateOrder;
	/** Values outside are reported as errors; numeric columns only. */
	range?: ValueRange;
	/** The profile field this column matched. */
	canonical?: string;
	/** What inference saw, for the preview; ignored by the builder. */
	inferred?: Pick<InferredColumn, 'confidence' | 'notes' | 'nonMissing' | 'distinct'>;
}

export interface ImportPlan {
	file: string;
	sheet?: string;
	decimal: DecimalMark;
	missingTokens: string[];
	profile: ProfileMatch | null;
	columns: ColumnPlan[];
	longFormat: LongFormatInfo | null;
}

export interface ProposeOptions {
	file: string;
	sheet?: string;
	/** Guessed from the sample (inferDecimal) when left out. */
	decimal?: DecimalMark;
	missingTokens?: string[];
	/** dd/mm or mm/dd when a date column's sample cannot tell. */
	defaultDateOrder?: 'dmy' | 'mdy';
}

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'number']);

export function proposePlan(
	header: readonly string[],
	sampleRecords: readonly (readonly string[])[],
	opts: ProposeOptions
): { plan: ImportPlan; issues: DataIssue[] } {
	const { names, issues } = makeSafeHeader(header, opts.file);
	const missingTokens = opts.missingTokens ?? [...DEFAULT_MISSING_TOKENS];
	const decimal = opts.decimal ?? inferDecimal(cellsOf(sampleRecords));
	const samples = header.map((_, i) => sampleRecords.map((r) => r[i] ?? ''));
	const inferred = samples.map((values, i) =>
		inferColumn(values, {
			decimal,
			missingTokens,
			name: names[i],
			defaultDateOrder: opts.defaultDateOrder
		})
	);
	const profile = matchProfile(names);

	const columns: ColumnPlan[] = header.map((original, i) => {
		const inf = inferred[i];
		const name = names[i];
		const field = profile ? fieldOf(profile, name) : undefined;
		let role: ColumnRole;
		if (field) {
			role = profile?.target === name ? 'target' : field.role === 'target' ? 'feature' : field.role;
			// A profile's id that turned out to be free text (names) is still not a feature.
			if ((role === 'id' || role === 'group') && inf.type === 'text') role = 'ignore';
		} else {
			role = roleForType(inf.type, name);
		}
		const col: ColumnPlan = {
			index: i,
			original,
			name,
			type: inf.type,
			role,
			inferred: {
				confidence: inf.confidence,
				notes: inf.notes,
				nonMissing: inf.nonMissing,
				distinct: inf.distinct
			}
		};
		if (field) col.canonical = field.canonical;
		if (inf.dateOrder) col.dateOrder = inf.dateOrder;
		if (NUMERIC_TYPES.has(inf.type)) {
			const range = field ? chooseScale(field.scales, inf.max) : rangeFromName(name);
			if (range) col.range = range;
		}
		return col;
	});

	const longFormat = detectLongFormat(
		columns.map((c, i) => ({ name: c.name, type: c.type, role: c.role, values: samples[i] }))
	);
	if (longFormat) {
		// In long format the id groups a student's rows (for grouped cross-validation), it is
		// not a per-row key.
		const idCol = columns.find((c) => c.name === longFormat.idColumn);
		if (idCol) idCol.role = 'group';
	}

	const plan: ImportPlan = {
		file: opts.file,
		decimal,
		missingTokens,
		profile,
		columns,
		longFormat
	};
	if (opts.sheet !== undefined) plan.sheet = opts.sheet;
	return { plan, issues };
}

function* cellsOf(records: readonly (readonly string[])[]): Generator<string> {
	for (const r of records) yield* r;
}

/**
 * Makes `name` the only target: the previous target becomes a feature. The preview calls this
 * when the teacher picks another column to predict.
 */
export function withTarget(plan: ImportPlan, name: string): ImportPlan {
	return {
		...plan,
		columns: plan.columns.map((c) =>
			c.name === name
				? { ...c, role: 'target' }
				: c.role === 'target'
					? { ...c, role: 'feature' }
					: c
		)
	};
}
