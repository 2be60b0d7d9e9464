/**
 * Times the frame builder on 1,000,000 records × 20 columns of a typical class-data mix (an id,
 * whole numbers, decimals, percentages, categories, yes/no, ISO dates, ~2% blanks, a few junk
 * cells), against bare CSV parsing with PapaParse to strings — the budget DESIGN.md sets is
 * "import ≤ 2× bare parsing". Then times validate() on the built frame (and the duplicate-row
 * search inside it on its own), and the builder once more per column kind: one builder per kind
 * fed the same parsed records, each timed alone, so a regression points at its kind. Also times
 * the import's own path, readCsv handing quote-free lines to the builder (pushLine).
 * Prints one JSON summary.
 *   npx tsx bench/frame-builder.ts [rows]
 */
import Papa from 'papaparse';
import { readCsv } from '../src/lib/data/csv';
import { findDuplicateRows } from '../src/lib/data/duplicates';
import { createFrameBuilder, type FrameBuilder } from '../src/lib/data/infer/builder';
import { proposePlan, type ImportPlan } from '../src/lib/data/plan';
import { bytesSource } from '../src/lib/data/types';
import { validate } from '../src/lib/data/validate';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const HEADER = [
	'student_id',
	...Array.from({ length: 6 }, (_, i) => `int_${i + 1}`),
	...Array.from({ length: 5 }, (_, i) => `num_${i + 1}`),
	'attendance_pct',
	'score_pct',
	'house',
	'level',
	'region',
	'passed',
	'enrolled',
	'comment_code'
];
const HOUSES = ['Red', 'Blue', 'Green', 'Yellow'];
const LEVELS = ['Low', 'Medium', 'High'];

let seed = 12345;
const rand = (): number => {
	seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
	return seed / 4294967296;
};

function record(i: number): string[] {
	const r: string[] = [`S${String(i + 1).padStart(7, '0')}`];
	for (let k = 0; k < 6; k++) r.push(rand() < 0.02 ? '' : String(Math.floor(rand() * 100)));
	for (let k = 0; k < 5; k++) r.push(rand() < 0.02 ? 'NA' : (rand() * 100).toFixed(2));
	r.push(rand() < 0.1 ? `${(rand() * 100).toFixed(1)}%` : (rand() * 100).toFixed(1));
	r.push(i % 50_000 === 7 ? 'absent' : String(Math.floor(rand() * 101)));
	r.push(HOUSES[Math.floor(rand() * 4)], LEVELS[Math.floor(rand() * 3)]);
	r.push(`R${Math.floor(rand() * 40)}`);
	r.push(rand() < 0.5 ? 'yes' : 'no');
	const day = 1 + Math.floor(rand() * 28);
	r.push(`2024-0${1 + Math.floor(rand() * 9)}-${String(day).padStart(2, '0')}`);
	r.push(`C${Math.floor(rand() * 500)}`);
	return r;
}

/** The file as ~1 MB pieces cut at line ends, the way a streaming reader meets it. */
function makeCsv(rows: number): string[] {
	const pieces: string[] = [];
	const per = 10_000;
	for (let start = 0; start < rows; start += per) {
		const lines: string[] = [];
		for (let i = start; i < Math.min(rows, start + per); i++) lines.push(record(i).join(','));
		pieces.push(lines.join('\n') + '\n');
	}
	return pieces;
}

function parse(pieces: readonly string[], onRow: (cells: string[], row: number) => void): number {
	let row = 1;
	const t0 = performance.now();
	for (const piece of pieces) {
		const { data } = Papa.parse<string[]>(piece, { header: false, skipEmptyLines: true });
		for (const cells of data) onRow(cells, ++row);
	}
	return (performance.now() - t0) / 1000;
}

const csv = makeCsv(ROWS);
const sample: string[][] = [];
for (let i = 0; i < 5000; i++) sample.push(record(i));
const { plan } = proposePlan(HEADER, sample, { file: 'bench.csv', decimal: '.' });

// Warm up both paths on a small slice so the JIT has seen the hot loops.
const warm = makeCsv(20_000);
parse(warm, () => {});
const wb = createFrameBuilder(plan);
parse(warm, (c, r) => wb.push(c, r));
wb.finish();

const parseOnly = parse(csv, () => {});
const builder = createFrameBuilder(plan);
const parseAndBuild = parse(csv, (c, r) => builder.push(c, r));
const t0 = performance.now();
const built = builder.finish();
const finishS = (performance.now() - t0) / 1000;
const total = parseAndBuild + finishS;

const secs = (f: () => void): number => {
	const t = performance.now();
	f();
	return (performance.now() - t) / 1000;
};
/**
 * The import's own path over the same file as bytes: readCsv decodes and hands quote-free lines
 * straight to the builder (pushLine), so no cell becomes a string unless it has to.
 */
async function readAndBuild(): Promise<number> {
	const bytes = new TextEncoder().encode(HEADER.join(',') + '\n' + csv.join(''));
	const b = createFrameBuilder(plan);
	const t = performance.now();
	await readCsv(bytesSource('bench.csv', bytes), (cells, row) => b.push(cells, row), {
		lines: b.pushLine
	});
	b.finish();
	return (performance.now() - t) / 1000;
}
await readAndBuild(); // warm-up of the line path's hot loops, as above for the others
const readAndBuildS = await readAndBuild();

let report: ReturnType<typeof validate> | undefined;
const validateS = secs(() => (report = validate(built, plan)));
const duplicatesS = secs(() => findDuplicateRows(built.frame));

/** Builder time per column type: the records of each piece go through every kind's builder. */
function perKind(): Record<string, { columns: number; ms: number; msPerColumn: number }> {
	const byType = new Map<string, ImportPlan['columns']>();
	for (const c of plan.columns) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
	const kinds = [...byType].map(([type, columns]) => ({
		type,
		columns: columns.length,
		builder: createFrameBuilder({ ...plan, columns }) as FrameBuilder,
		ms: 0
	}));
	let row = 1;
	for (const piece of csv) {
		const { data } = Papa.parse<string[]>(piece, { header: false, skipEmptyLines: true });
		for (const k of kinds) {
			const t = performance.now();
			for (let i = 0; i < data.length; i++) k.builder.push(data[i], row + i + 1);
			k.ms += performance.now() - t;
		}
		row += data.length;
	}
	for (const k of kinds) k.ms += secs(() => k.builder.finish()) * 1000;
	return Object.fromEntries(
		kinds.map((k) => [
			k.type,
			{ columns: k.columns, ms: Math.round(k.ms), msPerColumn: Math.round(k.ms / k.columns) }
		])
	);
}
const builderByType = perKind();

console.log(
	JSON.stringify(
		{
			rows: built.frame.nRows,
			columns: built.frame.columns.length,
			types: plan.columns.map((c) => c.type).join(','),
			csvMB: Math.round(csv.reduce((n, p) => n + p.length, 0) / 1e5) / 10,
			parseOnlyS: +parseOnly.toFixed(3),
			parseAndBuildS: +total.toFixed(3),
			builderOnlyS: +(total - parseOnly).toFixed(3),
			builderRowsPerS: Math.round(built.frame.nRows / (total - parseOnly)),
			importRowsPerS: Math.round(built.frame.nRows / total),
			ratioToBareParse: +(total / parseOnly).toFixed(2),
			// readCsv + pushLine on the file's bytes: decoding included, cells not cut out.
			readAndBuildS: +readAndBuildS.toFixed(3),
			ratioReadAndBuildToBareParse: +(readAndBuildS / parseOnly).toFixed(2),
			validateS: +validateS.toFixed(3),
			duplicatesS: +duplicatesS.toFixed(3),
			ratioWithValidate: +((total + validateS) / parseOnly).toFixed(2),
			builderByType,
			badCells: built.badCells.count,
			duplicateGroups: report?.rows.duplicates.length,
			validationCounts: report?.counts,
			node: process.version
		},
		null,
		1
	)
);
