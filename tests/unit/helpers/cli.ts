/** Runs the CLI in-process with captured output, and the scratch folder the CLI tests share. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, expect } from 'vitest';
import { EXIT_OK, type CliIo } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';
import type { TrainJson } from '../../../src/cli/training/report';
import { buildFrame, inspectFile } from '../../../src/lib/data/import';
import { bytesSource } from '../../../src/lib/data/types';
import type { Frame } from '../../../src/lib/ml/frame';

export interface Run {
	code: number;
	out: string;
	err: string;
}

/** A runner whose commands resolve relative paths against `cwd`. */
export function cliRunner(cwd: string): (...argv: string[]) => Promise<Run> {
	return async (...argv) => {
		let out = '';
		let err = '';
		const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd };
		return { code: await main(argv, io), out, err };
	};
}

/** The --json contract: the last line printed is one JSON object. */
export function lastJson<T>(out: string): T {
	const lines = out.trimEnd().split('\n');
	return JSON.parse(lines[lines.length - 1]) as T;
}

/** The helpers a CLI test file shares, around one scratch folder removed after the file. */
export interface CliWorkspace {
	dir: string;
	run: (...argv: string[]) => Promise<Run>;
	/** `demo --profile P --rows N --seed S --out FILE`, which must succeed. */
	demo(profile: string, rows: number, seed: number, out: string): Promise<void>;
	/** `train … --json`, which must succeed: its JSON. */
	train(...argv: string[]): Promise<TrainJson>;
	/** A CSV in the folder as rows of cells, header first. */
	readRows(name: string): string[][];
	/** A CSV in the folder as one object per row, keyed by the header. */
	readRecords(name: string): Record<string, string>[];
	writeRows(name: string, rows: string[][]): void;
	/** The file as the app imports it, for in-process comparisons. */
	importFrame(name: string): Promise<Frame>;
}

export function cliWorkspace(name: string): CliWorkspace {
	const dir = mkdtempSync(join(tmpdir(), `classlens-${name}-`));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const run = cliRunner(dir);
	const text = (file: string) => readFileSync(join(dir, file), 'utf8');
	return {
		dir,
		run,
		async demo(profile, rows, seed, out) {
			const r = await run(
				'demo',
				'--profile',
				profile,
				'--rows',
				String(rows),
				'--seed',
				String(seed),
				'--out',
				out
			);
			expect(r.err).toBe('');
			expect(r.code).toBe(EXIT_OK);
		},
		async train(...argv) {
			const r = await run('train', ...argv, '--json');
			expect(r.err).toBe('');
			expect(r.code).toBe(EXIT_OK);
			return lastJson<TrainJson>(r.out);
		},
		readRows: (file) => Papa.parse<string[]>(text(file), { skipEmptyLines: true }).data,
		readRecords: (file) =>
			Papa.parse<Record<string, string>>(text(file), { header: true, skipEmptyLines: true }).data,
		writeRows: (file, rows) =>
			writeFileSync(join(dir, file), Papa.unparse(rows, { newline: '\n' }) + '\n'),
		async importFrame(file) {
			const src = bytesSource(file, new Uint8Array(readFileSync(join(dir, file))));
			const ins = await inspectFile(src);
			return (await buildFrame(src, ins, ins.plan)).built.frame;
		}
	};
}
