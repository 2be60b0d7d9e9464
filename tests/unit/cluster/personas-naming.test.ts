import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findLexeme, namePersonas, readFeature } from '../../../src/lib/ml/cluster/personas';
import { humanise, value } from '../../../src/lib/ml/cluster/personas/format';
import { generateWellbeingWithTruth, WELLBEING_PERSONAS } from '../../../src/lib/ml/synthetic';
import { MISSING_CODE } from '../../../src/lib/ml/frame';

/** No raw floats, NaN, undefined or Infinity in generated text. */
const DIRTY = /NaN|undefined|Infinity|null|\d\.\d{3,}|\[object/;

describe('namePersonas on readable features', () => {
	const features = ['Hours_Studied', 'Sleep_Hours', 'Motivation_Level', 'Attendance'];
	// k × d standardised centroids.
	const z = Float64Array.from([
		1.2,
		-1.5,
		0.9,
		0.1, //
		-1.1,
		0.2,
		-0.8,
		-1.4, //
		0.05,
		0.1,
		-0.1,
		0.0
	]);

	it('names by the most distinctive features, strongest first', () => {
		const names = namePersonas(z, features).map((p) => p.name);
		expect(names[0]).toBe('Short on sleep, hard-working');
		expect(names[1]).toBe('Often absent, studies little');
		expect(names[2]).toBe('Close to average');
	});
	it('describes with rounded SDs and, given the class scale, rounded units', () => {
		const [p] = namePersonas(z, features, {
			sizes: [30, 50, 20],
			scale: { mean: [19.7, 7.03, 1.1, 80.2], sd: [5.9, 1.41, 0.7, 9.7] }
		});
		expect(p.description).toMatch(/^30 students \(30% of the class\)\./);
		expect(p.description).toMatch(
			/sleeps about 1\.5 SD less than the average student \(about 4\.9 vs 7\.0 on average\)/
		);
		expect(p.description).toMatch(
			/studies about 1\.2 SD more than the average student \(about 27 vs 20 on average\)/
		);
		expect(p.description).toMatch(/On attendance the group is close to the class average\./);
		expect(p.description).not.toMatch(DIRTY);
	});
	it('is deterministic', () => {
		expect(namePersonas(z, features)).toEqual(namePersonas(z, features));
	});
	it('k = 1 and empty features', () => {
		expect(namePersonas(Float64Array.from([0, 0]), ['a', 'b'])).toEqual([
			{
				name: 'Close to average',
				description: 'Close to the class average on every feature used here.'
			}
		]);
		expect(namePersonas(new Float64Array(0), [])).toEqual([]);
	});
});

describe('persona names are unique', () => {
	it('adds a distinguishing feature when two names collide', () => {
		const names = namePersonas(Float64Array.from([1, -1, 0.6, 1, -1, -0.6]), [
			'motivation',
			'sleep_hours',
			'family_income'
		]).map((p) => p.name);
		expect(names).toEqual([
			'Motivated, short on sleep, higher income',
			'Motivated, short on sleep, lower income'
		]);
	});
	it('numbers names that cannot be told apart', () => {
		const names = namePersonas(new Float64Array(6), ['x', 'y']).map((p) => p.name);
		expect(names).toEqual(['Close to average (1)', 'Close to average (2)', 'Close to average (3)']);
	});
	it('holds for any centroids and feature names (property)', () => {
		const featureName = fc.oneof(
			fc.constantFrom(
				'Hours_Studied',
				'Sleep_Hours',
				'Motivation_Level',
				'Gender=Female',
				'School_Type=Private',
				'Attendance',
				'Peer_Influence=Negative',
				'Teacher_Quality (missing)',
				'Gender=(other)'
			),
			fc.string({ minLength: 1, maxLength: 12 })
		);
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 8 }).chain((k) =>
					fc.record({
						k: fc.constant(k),
						features: fc.array(featureName, { minLength: 1, maxLength: 6 }),
						zs: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), {
							minLength: 8 * 6,
							maxLength: 8 * 6
						}),
						sizes: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: k, maxLength: k })
					})
				),
				({ k, features, zs, sizes }) => {
					const d = features.length;
					const out = namePersonas(Float64Array.from(zs.slice(0, k * d)), features, { sizes });
					expect(out).toHaveLength(k);
					expect(new Set(out.map((p) => p.name)).size).toBe(k);
					for (const p of out) {
						expect(p.name.length).toBeGreaterThan(0);
						expect(p.name).not.toMatch(DIRTY);
						expect(p.description).not.toMatch(DIRTY);
					}
				}
			),
			{ numRuns: 200 }
		);
	});
});

describe('reading features', () => {
	it('recognises common columns by normalised name, specific before general', () => {
		expect(findLexeme('Previous_Scores')?.high).toBe('Strong track record');
		expect(findLexeme('Exam_Score')?.high).toBe('High scorers');
		expect(findLexeme('weekly study hours')?.high).toBe('Hard-working');
		expect(findLexeme('attendance_percentage')?.low).toBe('Often absent');
		expect(findLexeme('Physical_Activity')?.high).toBe('Active');
		expect(findLexeme('Parental_Education_Level')?.high).toBe('Graduate parents');
		expect(findLexeme('sen')?.high).toBe('Learning difficulties');
		expect(findLexeme('absent_days')).toBeNull();
	});
	it('falls back to humanised column names', () => {
		expect(humanise('Distance_to_Library')).toBe('distance to library');
		expect(humanise('previousGPA')).toBe('previous GPA');
		const names = namePersonas(Float64Array.from([1.1, -0.9]), [
			'Library_Visits',
			'screenTime'
		]).map((p) => p.name);
		expect(names).toEqual(['High library visits, low screen time']);
	});
	it('reads level order: Yes/No and Positive/Negative codes are reversed', () => {
		expect(readFeature('Internet_Access', ['Yes', 'No']).sign).toBe(-1);
		expect(readFeature('Peer_Influence', ['Positive', 'Neutral', 'Negative']).sign).toBe(-1);
		expect(readFeature('Motivation_Level', ['Low', 'Medium', 'High']).sign).toBe(1);
		expect(readFeature('School_Type', ['Public', 'Private']).kind).toBe('nominal');
		expect(readFeature('Gender=(missing)').kind).toBe('skip');
		expect(readFeature('Sleep_Hours (missing)').kind).toBe('skip');
		const named = namePersonas(
			Float64Array.from([0.9, 0.8]),
			['Internet_Access', 'Peer_Influence'],
			{
				levels: [
					['Yes', 'No'],
					['Positive', 'Neutral', 'Negative']
				]
			}
		);
		expect(named[0].name).toBe('Limited internet, negative peer influence');
	});
	it('a coded category without its levels is described, never named "high gender"', () => {
		const [p] = namePersonas(Float64Array.from([1.2]), ['Gender']);
		expect(p.name).toBe('Close to average');
		expect(p.description).toContain('differs from the class on gender (about 1.2 SD)');
	});
	it('one-hot columns: polar levels read as the column, others by their level', () => {
		const names = namePersonas(
			Float64Array.from([1.3, 0.9, 0, 0, -0.2, 1.1]),
			['Motivation_Level=Low', 'School_Type=Private', 'Gender=Female'],
			{}
		).map((p) => p.name);
		expect(names).toEqual(['Low motivation, mostly private school', 'Mostly female']);
	});
	it('category shares and typical levels in descriptions', () => {
		const [p] = namePersonas(
			Float64Array.from([1.0, 0.9]),
			['Extracurricular_Activities', 'Motivation_Level'],
			{
				levels: [
					['Yes', 'No'],
					['Low', 'Medium', 'High']
				],
				scale: { mean: [0.45, 1.1], sd: [0.5, 0.7] }
			}
		);
		expect(p.name).toBe('No clubs, motivated');
		expect(p.description).toContain('(“No”: 95% vs 45% of the class)');
		expect(p.description).toContain('(typically “High” vs “Medium” for the class)');
	});
	it('rounds values to what the spread justifies', () => {
		expect(value(27.349, 5.9)).toBe('27');
		expect(value(6.96, 1.4)).toBe('7.0');
		expect(value(0.1234, 0.2)).toBe('0.12');
		expect(value(-0.04, 1)).toBe('0.0');
		expect(value(-3.2, 1)).toBe('−3.2');
	});
});

describe('names on the wellbeing demo recover its personas', () => {
	it('the hidden personas get fitting, unique names', () => {
		const { dataset, persona } = generateWellbeingWithTruth({ rows: 3000, seed: 7 });
		const cols = [
			'Hours_Studied',
			'Attendance',
			'Sleep_Hours',
			'Previous_Scores',
			'Motivation_Level',
			'Access_to_Resources',
			'Physical_Activity',
			'Internet_Access',
			'Extracurricular_Activities',
			'Family_Income'
		];
		const levels: (string[] | null)[] = [];
		const values = cols.map((name) => {
			const c = dataset.frame.columns.find((x) => x.name === name);
			if (!c) throw new Error(name);
			if (c.kind === 'numeric') {
				levels.push(null);
				return c.values;
			}
			levels.push(c.dictionary);
			return Float64Array.from(c.codes, (v) => (v === MISSING_CODE ? NaN : v));
		});
		const n = persona.length;
		const k = WELLBEING_PERSONAS.length;
		const d = cols.length;
		const z = new Float64Array(k * d);
		values.forEach((v, j) => {
			const mean = v.reduce((a, b) => a + b, 0) / n;
			const sdv = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
			for (let c = 0; c < k; c++) {
				let s = 0;
				let m = 0;
				for (let i = 0; i < n; i++) {
					if (persona[i] !== c) continue;
					s += v[i];
					m++;
				}
				z[c * d + j] = (s / m - mean) / sdv;
			}
		});
		const names = namePersonas(z, cols, { levels }).map((p) => p.name);
		expect(names[WELLBEING_PERSONAS.findIndex((p) => p.name === 'Stretched striver')]).toMatch(
			/Short on sleep/
		);
		expect(names[WELLBEING_PERSONAS.findIndex((p) => p.name === 'Disengaged')]).toMatch(
			/Often absent|Studies little|Low motivation/i
		);
		expect(names[WELLBEING_PERSONAS.findIndex((p) => p.name === 'Under-resourced')]).toMatch(
			/internet|income|resources/i
		);
		expect(new Set(names).size).toBe(k);
	});
});
