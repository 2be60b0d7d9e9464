import { describe, expect, it } from 'vitest';
import type { DatasetRecord, ModelRecord, OutcomeCheckRecord } from '$lib/db/types';
import {
	classesOf,
	dayStart,
	latencyText,
	logFileName,
	logFilter,
	metricRows,
	metricText,
	modelLabel,
	outputText,
	suggestIdColumn,
	suggestValueColumn
} from '$lib/components/monitor/monitor';

const col = (
	name: string,
	role: DatasetRecord['columns'][number]['role'],
	kind: 'numeric' | 'categorical' = 'numeric',
	type: DatasetRecord['columns'][number]['type'] = kind === 'numeric' ? 'number' : 'category'
) => ({ name, role, kind, type, missingCount: 0, dictionarySize: 0 });

const model = (over: Partial<ModelRecord> = {}): ModelRecord =>
	({
		id: 'm1',
		datasetId: 'd1',
		target: 'final_exam',
		task: 'regression',
		version: 2,
		active: true,
		artifact: { derive: null },
		...over
	}) as ModelRecord;

describe('monitor page rules', () => {
	it('labels models and finds their classes', () => {
		expect(modelLabel(model(), 'Demo class')).toBe('final_exam · Demo class — v2 (active)');
		expect(modelLabel(model({ active: false }), undefined)).toBe(
			'final_exam · a deleted dataset — v2'
		);
		expect(classesOf(model())).toEqual([]);
		expect(classesOf(model({ task: 'binary', artifact: { classes: ['pass', 'fail'] } }))).toEqual([
			'pass',
			'fail'
		]);
	});

	it('suggests the id column and the results column', () => {
		const results = {
			columns: [
				col('Pupil', 'feature', 'categorical', 'identifier'),
				col('term', 'feature'),
				col('Final Exam', 'feature')
			],
			target: null
		};
		expect(suggestIdColumn(results)).toBe('Pupil');
		expect(suggestValueColumn(results, model(), 'Pupil')).toBe('Final Exam');
		// A derived target's source mark is found too.
		const derived = model({
			target: 'result',
			artifact: {
				derive: {
					kind: 'pass-fail',
					source: 'final_exam',
					threshold: 50,
					passLabel: 'pass',
					failLabel: 'fail'
				}
			}
		});
		expect(suggestValueColumn(results, derived, 'Pupil')).toBe('Final Exam');
		const other = {
			columns: [col('sid', 'id', 'categorical'), col('x', 'feature'), col('y', 'target')],
			target: 'y'
		};
		expect(suggestIdColumn(other)).toBe('sid');
		expect(suggestValueColumn(other, model(), 'sid')).toBe('y');
		expect(suggestValueColumn({ ...other, target: null }, null, 'sid')).toBe('x');
	});

	it('writes logged outputs and latencies in a few words', () => {
		expect(outputText({ output: { rows: 1240, atRisk: 17 } })).toBe('1,240 rows, 17 at risk');
		expect(outputText({ output: { value: 61.26, lower: 50, upper: 72.55 } })).toBe(
			'61.3 (50–72.6)'
		);
		expect(outputText({ output: { predicted: 'fail', proba: { pass: 0.3, fail: 0.7 } } })).toBe(
			'fail (70%)'
		);
		expect(outputText({ output: {} })).toBe('—');
		expect(latencyText(0.42)).toBe('0.4');
		expect(latencyText(1250.4)).toBe('1,250');
	});

	it('turns the date inputs into a filter whose end includes the whole day', () => {
		expect(dayStart('')).toBeUndefined();
		const f = logFilter({ modelId: 'm1', kind: 'single', from: '2025-03-01', to: '2025-03-01' });
		expect(f.modelId).toBe('m1');
		expect(f.kind).toBe('single');
		expect(f.from).toBe(new Date(2025, 2, 1).getTime());
		expect(f.to).toBe(new Date(2025, 2, 2).getTime());
		expect(logFilter({ modelId: '', kind: 'other', from: '', to: '' })).toEqual({});
		expect(logFileName(new Date(2025, 0, 5))).toBe('prediction-log-2025-01-05.csv');
	});

	it('puts real and validated scores side by side', () => {
		const check = {
			task: 'regression',
			primary: 'rmse',
			metrics: { rmse: 6.123, mae: 5, coverage90: 0.8 },
			validated: { rmse: 5, mae: 4, r2: 0.6 }
		} as unknown as OutcomeCheckRecord;
		expect(metricRows(check).map((r) => [r.key, r.real, r.validated])).toEqual([
			['rmse', 6.123, 5],
			['mae', 5, 4],
			['coverage90', 0.8, 0.9]
		]);
		expect(metricText('rmse', 6.123)).toBe('6.12');
		expect(metricText('coverage90', 0.8)).toBe('80.0%');
		expect(metricText('brier_macro', 0.12345)).toBe('0.123');
		expect(metricText('rmse', undefined)).toBe('—');
		const cls = {
			task: 'binary',
			primary: 'accuracy',
			metrics: { accuracy: 0.7, brier_risk: 0.2 },
			validated: { accuracy: 0.8 }
		} as unknown as OutcomeCheckRecord;
		expect(metricRows(cls).map((r) => r.key)).toEqual(['accuracy', 'brier_risk']);
	});
});
