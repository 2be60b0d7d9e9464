/** Shared helpers for the CSV reader tests: read a fixture or a string, collecting records. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv, type CsvReadOptions } from '../../../../src/lib/data/csv';
import { bytesSource, type ByteSource } from '../../../../src/lib/data/types';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/csv', import.meta.url));

export function fixture(name: string): ByteSource {
	return bytesSource(name, new Uint8Array(readFileSync(join(FIXTURES, name))));
}

export function textSource(text: string, name = 'test.csv'): ByteSource {
	return bytesSource(name, new TextEncoder().encode(text));
}

export async function collect(source: ByteSource, opts: CsvReadOptions = {}) {
	const records: string[][] = [];
	const rowNumbers: number[] = [];
	const summary = await readCsv(
		source,
		(cells, row) => {
			records.push([...cells]);
			rowNumbers.push(row);
		},
		opts
	);
	return { records, rowNumbers, summary };
}
