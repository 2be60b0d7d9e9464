import { describe, expect, it } from 'vitest';
import { combineIssues, severityTotals, type DataIssue } from '$lib/data/types';

const issue = (code: string, severity: DataIssue['severity']): DataIssue => ({
	code,
	severity,
	message: code,
	where: { file: 'f.csv' }
});

describe('combining issue lists', () => {
	it('sums counts per code, keeps every issue, and totals by severity past the cap', () => {
		const read = { issues: [issue('ragged-row', 'warning')], counts: { 'ragged-row': 5 } };
		const checked = {
			issues: [
				issue('type-conflict', 'error'),
				issue('ragged-row', 'warning'),
				issue('note', 'info')
			],
			counts: { 'type-conflict': 300, 'ragged-row': 1, note: 2 }
		};
		const all = combineIssues(read, checked);
		expect(all.issues).toHaveLength(4);
		expect(all.counts).toEqual({ 'ragged-row': 6, 'type-conflict': 300, note: 2 });
		expect(severityTotals(all)).toEqual({ errors: 300, warnings: 6 });
	});
});
