import { describe, expect, it } from 'vitest';
import { atRiskCsv, atRiskFileName } from '../../../src/lib/components/predict/at-risk-csv';
import type { AtRiskRow, BatchResult } from '../../../src/lib/ml/predict/types';

const row = (over: Partial<AtRiskRow>): AtRiskRow => ({
	row: 0,
	student: 'S1',
	context: '',
	prediction: '31.2',
	value: 31.2,
	lower: 22.123,
	upper: 40.987,
	probability: 0.8123,
	atRisk: true,
	reasons: [],
	recommendations: [],
	...over
});

const result = (mode: 'mark-below' | 'probability-above'): BatchResult => ({
	predictionId: 'p',
	model: {
		id: 'm',
		name: 'Model',
		version: 1,
		family: 'gbdt',
		task: 'regression',
		target: 'final_exam',
		datasetId: 'd',
		classes: null,
		metrics: {}
	},
	datasetId: 'd',
	datasetName: 'Year 10 / maths: term 2',
	policy: mode === 'mark-below' ? { mode, passMark: 40 } : { mode, riskClass: 'Fail', level: 0.5 },
	nRows: 2,
	nScored: 2,
	nAtRisk: 1,
	rows: [],
	capped: false,
	seconds: 0.1,
	rowsPerSecond: 20,
	explained: 'the predicted final exam'
});

describe('at-risk CSV', () => {
	it('writes rounded numbers, joined reasons, and neutralises formulas', () => {
		const csv = atRiskCsv(result('mark-below'), [
			row({
				student: '=HYPERLINK("x")',
				reasons: ['Attendance (4; class median 7) lowers it', '+ more'],
				recommendations: [
					{ ruleId: 'r', title: 'Low attendance', message: '', action: '', priority: 'high' }
				]
			}),
			row({ student: 'S2', atRisk: false, lower: null, upper: null, probability: null })
		]);
		expect(csv).toBe(
			'rank,student,prediction,lower_90,upper_90,p_below_pass_mark,at_risk,reasons,next_steps\r\n' +
				`1,"'=HYPERLINK(""x"")",31.2,22.12,40.99,0.812,yes,Attendance (4; class median 7) lowers it | + more,Low attendance\r\n` +
				'2,S2,31.2,,,,no,,\r\n'
		);
	});

	it('names the row of long-format data in a context column', () => {
		const csv = atRiskCsv(result('mark-below'), [row({ context: '2024-S1 · Maths' })]);
		expect(csv.split('\r\n')[0]).toBe(
			'rank,student,context,prediction,lower_90,upper_90,p_below_pass_mark,at_risk,reasons,next_steps'
		);
		expect(csv.split('\r\n')[1]).toMatch(/^1,S1,2024-S1 · Maths,31.2,/);
	});

	it('has a probability column for classification and a safe file name', () => {
		const r = result('probability-above');
		expect(atRiskCsv(r, [row({ prediction: 'Fail' })]).split('\r\n')[0]).toBe(
			'rank,student,prediction,p_risk,at_risk,reasons,next_steps'
		);
		expect(atRiskFileName(r)).toBe('at-risk-Year-10-maths-term-2.csv');
	});
});
