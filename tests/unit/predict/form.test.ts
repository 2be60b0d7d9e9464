import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	buildForm,
	defaultValues,
	humanise,
	validateInput,
	valuesFrame
} from '../../../src/lib/ml/predict/form';
import type { FeatureDistribution } from '../../../src/lib/ml/train/types';

const attendance: FeatureDistribution = {
	name: 'attendance',
	kind: 'numeric',
	count: 100,
	missingRate: 0,
	mean: 7,
	std: 1.5,
	min: 2,
	max: 10,
	quantiles: [2, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10],
	histogram: { edges: [2, 10], counts: [100] }
};
const hours: FeatureDistribution = {
	name: 'hours_studied',
	kind: 'numeric',
	count: 100,
	missingRate: 0.1,
	mean: 3.4,
	std: 1,
	min: 0.5,
	max: 7.25,
	quantiles: [0.5, 1, 1.5, 2, 3, 3.5, 4, 4.5, 5, 6, 7.25],
	histogram: { edges: [0.5, 7.25], counts: [100] }
};
const school: FeatureDistribution = {
	name: 'school_type',
	kind: 'categorical',
	count: 100,
	missingRate: 0,
	categories: [
		{ label: 'Public', share: 0.7 },
		{ label: 'Private', share: 0.3 }
	]
};
const form = buildForm({ features: ['attendance', 'hours_studied', 'school_type', 'unknown'] }, [
	attendance,
	hours,
	school
]);

describe('what-if form', () => {
	it('builds one field per feature with the training range, median and categories', () => {
		expect(form.fields.map((f) => f.name)).toEqual([
			'attendance',
			'hours_studied',
			'school_type',
			'unknown'
		]);
		const [a, h, s] = form.fields;
		expect(a).toMatchObject({
			kind: 'numeric',
			label: 'Attendance',
			min: 2,
			max: 10,
			step: 1,
			median: 7
		});
		expect(h).toMatchObject({ kind: 'numeric', label: 'Hours studied', step: 0.05, median: 3.5 });
		expect(s).toMatchObject({
			kind: 'categorical',
			options: ['Public', 'Private'],
			mode: 'Public'
		});
		expect(defaultValues(form)).toEqual({
			attendance: 7,
			hours_studied: 3.5,
			school_type: 'Public',
			unknown: 0
		});
	});

	it('checks each field and says what is wrong where', () => {
		const r = validateInput(form, {
			attendance: 'seven',
			hours_studied: '',
			school_type: 'Boarding',
			unknown: '3,5'
		});
		expect(r.errors).toEqual([
			{ field: 'attendance', message: 'Attendance must be a number (you entered "seven").' },
			{
				field: 'school_type',
				message:
					'School type "Boarding" was not seen in training; choose one of "Public", "Private".'
			}
		]);
		// Hours studied had gaps in training, so it may be left empty (the model imputes it).
		expect(r.values.hours_studied).toBeNull();
		expect(r.values.unknown).toBe(3.5);
	});

	it('requires a value where training had none missing, warns outside the training range', () => {
		const r = validateInput(form, {
			attendance: '',
			hours_studied: 12,
			school_type: 'private',
			unknown: 1
		});
		expect(r.errors).toEqual([
			{ field: 'attendance', message: 'Attendance is needed: enter a value.' }
		]);
		expect(r.values.school_type).toBe('Private');
		expect(r.warnings[0].message).toBe(
			'Hours studied 12 is outside the range seen in training (0.5–7.25); the prediction is less reliable there.'
		);
	});

	it('turns values into a frame the model can score', () => {
		const f = valuesFrame(form, [
			{ attendance: 5, hours_studied: null, school_type: 'Private', unknown: 1 },
			{ attendance: 9, hours_studied: 2, school_type: null, unknown: 2 }
		]);
		expect(f.nRows).toBe(2);
		const a = f.columns[0];
		const h = f.columns[1];
		const s = f.columns[2];
		expect(a.kind === 'numeric' && Array.from(a.values)).toEqual([5, 9]);
		expect(h.kind === 'numeric' && Number.isNaN(h.values[0])).toBe(true);
		expect(s.kind === 'categorical' && s.dictionary[s.codes[0]]).toBe('Private');
	});

	it('accepts every number written with either decimal mark, rejects everything else', () => {
		fc.assert(
			fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
				const text = String(v);
				const r = validateInput(form, { attendance: text, school_type: 'Public', unknown: 1 });
				expect(r.errors).toEqual([]);
				expect(r.values.attendance).toBe(Number(text));
			})
		);
		fc.assert(
			fc.property(
				fc.string().filter((s) => s.trim() !== '' && !/^[-+]?[\d.,]/.test(s.trim())),
				(s) => {
					const r = validateInput(form, { attendance: s, school_type: 'Public', unknown: 1 });
					expect(r.errors.map((e) => e.field)).toEqual(['attendance']);
				}
			)
		);
	});

	it('humanises column names', () => {
		expect(humanise('attendance_percentage')).toBe('Attendance percentage');
		expect(humanise('  ')).toBe('  ');
	});
});
