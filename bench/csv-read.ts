/**
 * CSV reader throughput: bare `Papa.parse` of one in-memory string against `readCsv` streaming
 * the same file as UTF-8 bytes (so readCsv also pays for decoding and sniffing). The import goal
 * is readCsv within 2x of the bare parse. Run: npx tsx bench/csv-read.ts [megabytes]
 */
import Papa from 'papaparse';
import { readCsv } from '../src/lib/data/csv/index';
import { bytesSource } from '../src/lib/data/types';

const targetMb = Number(process.argv[2] ?? 50);
const COLS = 20;
const FIRST = ['Zoë', 'José', 'Ana', 'Müller', 'Li', 'Oluwaseun', 'Chloé', 'Sam'];

/** A seeded generator keeps runs comparable. */
function lcg(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function generate(bytes: number): { text: string; rows: number } {
	const rnd = lcg(42);
	const header = ['student_id', 'name', ...Array.from({ length: COLS - 2 }, (_, i) => `f${i}`)];
	const parts: string[] = [header.join(',') + '\n'];
	let size = parts[0].length;
	let rows = 0;
	while (size < bytes) {
		const cells: string[] = [String(100000 + rows)];
		const name = FIRST[Math.floor(rnd() * FIRST.length)];
		// One row in ten has a quoted "Last, First" name, as class lists do.
		cells.push(rnd() < 0.1 ? `"Smith, ${name}"` : name);
		for (let c = 2; c < COLS; c++) {
			const r = rnd();
			cells.push(r < 0.05 ? '' : c % 3 === 0 ? String(Math.floor(r * 100)) : (r * 100).toFixed(2));
		}
		const line = cells.join(',') + '\n';
		parts.push(line);
		size += line.length;
		rows++;
	}
	return { text: parts.join(''), rows };
}

function best(times: number[]): number {
	return Math.min(...times);
}

async function main(): Promise<void> {
	const { text, rows } = generate(targetMb * 1e6);
	const bytes = new TextEncoder().encode(text);
	const mb = bytes.byteLength / 1e6;
	const runs = 3;

	const papa: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		const res = Papa.parse<string[]>(text, { skipEmptyLines: false });
		papa.push(performance.now() - t);
		if (res.data.length < rows) throw new Error('bare parse lost rows');
	}

	const ours: number[] = [];
	let checksum = 0;
	for (let i = 0; i < runs; i++) {
		checksum = 0;
		const t = performance.now();
		const res = await readCsv(bytesSource('bench.csv', bytes), (cells) => {
			checksum += cells[0].length;
		});
		ours.push(performance.now() - t);
		if (res.rows !== rows) throw new Error(`readCsv read ${res.rows} rows, expected ${rows}`);
	}

	const papaMs = best(papa);
	const oursMs = best(ours);
	console.log(
		JSON.stringify(
			{
				megabytes: Number(mb.toFixed(1)),
				rows,
				columns: COLS,
				papaParseMBps: Number((mb / (papaMs / 1000)).toFixed(1)),
				readCsvMBps: Number((mb / (oursMs / 1000)).toFixed(1)),
				papaParseMs: Math.round(papaMs),
				readCsvMs: Math.round(oursMs),
				ratio: Number((oursMs / papaMs).toFixed(2)),
				checksum
			},
			null,
			2
		)
	);
}

void main();
