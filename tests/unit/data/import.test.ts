import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameToCsv } from '$lib/data/csv-write';
import { buildFrame, inspectFile, resolveImport } from '$lib/data/import';
import { bytesSource } from '$lib/data/types';
import { AppException } from '$lib/errors';
import { cellAt, type Frame } from '$lib/ml/frame';
import { DEMO_PROFILES, generateDemo } from '$lib/ml/synthetic';

const enc = new TextEncoder();
const fixture = (name: string) =>
	bytesSource(name, new Uint8Array(readFileSync(`tests/fixtures/${name}`)));

function sameCells(a: Frame, b: Frame) {
	expect(a.nRows).toBe(b.nRows);
	expect(a.columns.map((c) => c.name)).toEqual(b.columns.map((c) => c.name));
	for (let j = 0; j < a.columns.length; j++) {
		for (let r = 0; r < a.nRows; r++) {
			const x = cellAt(a.columns[j], r);
			let y = cellAt(b.columns[j], r);
			// Yes/No columns are read as booleans (1/0) rather than as two categories.
			if (a.columns[j].type === 'boolean' && typeof y === 'string')
				y = /^(yes|true)$/i.test(y) ? 1 : 0;
			if (typeof x === 'number' && typeof y === 'number') expect(x).toBeCloseTo(y, 9);
			else expect(x, `${a.columns[j].name} row ${r}`).toEqual(y);
		}
	}
}

describe('import pipeline', () => {
	it.each(DEMO_PROFILES.map((p) => p.id))(
		'a %s demo written as CSV imports back cell for cell, recognised, with its target',
		async (profile) => {
			const demo = generateDemo(profile, { seed: 3, rows: profile === 'lms-activity' ? 40 : 150 });
			const src = bytesSource(`${profile}.csv`, enc.encode(frameToCsv(demo.frame)));
			const insp = await inspectFile(src);
			expect(insp.format).toBe('csv');
			expect(insp.plan.profile?.profile).toBe(profile);
			if (demo.target) {
				expect(insp.plan.columns.find((c) => c.name === demo.target)?.role).toBe('target');
			}
			const res = await buildFrame(src, insp, insp.plan);
			expect(res.report.errors).toBe(0);
			expect(res.built.frame.nRows).toBe(demo.frame.nRows);
			sameCells(res.built.frame, demo.frame);
		}
	);

	it('finds a typo, lets it be fixed in place, or skipped, and never drops anything silently', async () => {
		const lines = ['student_id,attendance,final_exam'];
		for (let i = 1; i <= 40; i++) lines.push(`S${i},${60 + (i % 40)},${40 + i}`);
		lines[2] = 'S2,absent,61';
		const csv = lines.join('\n') + '\n';
		const src = bytesSource('typo.csv', enc.encode(csv));
		const insp = await inspectFile(src);
		const res = await buildFrame(src, insp, insp.plan);
		const conflict = res.report.issues.find((i) => i.code === 'type-conflict');
		expect(conflict?.where).toMatchObject({ file: 'typo.csv', row: 3, column: 'attendance' });
		expect(conflict?.message).toMatch(/typo\.csv, row 3, column “attendance”/);
		expect(Array.from(res.report.rowsWithErrors)).toContain(1);

		const fixed = resolveImport(res.built, insp.plan, {
			fixes: [{ frameRow: 1, column: 'attendance', value: '0' }]
		});
		expect(fixed.fixErrors).toEqual([]);
		expect(cellAt(fixed.built.frame.columns[1], 1)).toBe(0);
		expect(fixed.report.counts['type-conflict'] ?? 0).toBe(0);

		const skipped = resolveImport(res.built, insp.plan, { skipRows: res.report.rowsWithErrors });
		expect(skipped.built.frame.nRows).toBe(40 - res.report.rowsWithErrors.length);
		expect(Array.from(skipped.built.sourceRows)).not.toContain(3);
	});

	it('reads Excel through the same steps', async () => {
		const src = fixture('xlsx/marks.xlsx');
		const insp = await inspectFile(src);
		expect(insp.format).toBe('xlsx');
		expect(insp.sheets?.length).toBeGreaterThan(0);
		const res = await buildFrame(src, insp, insp.plan);
		expect(res.built.frame.nRows).toBeGreaterThan(0);
	});

	it.each([
		['csv/empty.csv', 'empty-file'],
		['csv/garbage.csv', 'not-text']
	])('refuses %s with %s', async (name, code) => {
		const err = await inspectFile(fixture(name)).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AppException);
		expect((err as AppException).appError.code).toBe(code);
	});
});
