import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	crossTable,
	groupBreakdown,
	nearestPersona,
	PERSONA_INSIGHT_KEYS,
	personaInsights,
	trajectoryClusters,
	trajectoryNames,
	type PersonaInsightInput
} from '../../../src/lib/ml/cluster/personas';
import { createRng } from '../../../src/lib/ml/random';

const DIRTY = /NaN|undefined|Infinity|null|\d\.\d{2,}|\[object/;

describe('crossTable and groupBreakdown', () => {
	it('counts pairs, skipping negative labels', () => {
		const t = crossTable([0, 0, 1, 1, 1, -1, 2], [1, 0, 1, 1, -1, 0, 0], 3, 2);
		expect(Array.from(t.counts)).toEqual([1, 1, 0, 2, 1, 0]);
		expect(Array.from(t.rowTotals)).toEqual([2, 2, 1]);
		expect(Array.from(t.colTotals)).toEqual([2, 3]);
		expect(t.total).toBe(5);
		expect(() => crossTable([0], [0, 1], 1, 2)).toThrow(RangeError);
	});
	it('suppresses small levels and cells (0 is shown), unless asked not to', () => {
		// Level 0: 25 students (20 in persona 0, 5 in persona 1); level 1: 4 students; level 2 none.
		const labels = [...new Array(20).fill(0), ...new Array(5).fill(1), 0, 0, 1, 1, -1];
		const codes = [...new Array(25).fill(0), 1, 1, 1, 1, 0];
		const b = groupBreakdown(labels, codes, ['Public', 'Private', 'Charter'], 3);
		expect(b[0]).toEqual({
			level: 'Public',
			n: 25,
			suppressed: false,
			counts: [20, null, 0],
			shares: [0.8, null, 0]
		});
		expect(b[1]).toMatchObject({
			level: 'Private',
			n: 4,
			suppressed: true,
			counts: null,
			shares: null
		});
		expect(b[2]).toMatchObject({ level: 'Charter', n: 0, suppressed: false, shares: null });
		const open = groupBreakdown(labels, codes, ['Public', 'Private', 'Charter'], 3, {
			showSmallGroups: true
		});
		expect(open[1].counts).toEqual([2, 2, 0]);
		expect(open[0].shares).toEqual([0.8, 0.2, 0]);
		const five = groupBreakdown(labels, codes, ['Public', 'Private', 'Charter'], 3, { minCell: 5 });
		expect(five[0].counts).toEqual([20, 5, 0]);
	});
	it('ignores missing codes (negative, NaN, out of range)', () => {
		const b = groupBreakdown([0, 0, 0, 0], [0, -1, NaN, 9], ['A'], 1, { showSmallGroups: true });
		expect(b[0].n).toBe(1);
	});
});

describe('trajectoryClusters', () => {
	it('orders given clusters by mean exam score and names them', () => {
		const prev = Float64Array.from([60, 62, 90, 91, 75, 74, NaN]);
		const exam = Float64Array.from([50, 52, 88, 92, 70, 71, 80]);
		const labels = Int32Array.from([2, 2, 0, 0, 1, 1, 1]);
		const t = trajectoryClusters(prev, exam, labels, 3);
		expect(t.names).toEqual(['High achievers', 'Moderate', 'At risk']);
		expect(t.order).toEqual([0, 1, 2]);
		expect(Array.from(t.labels)).toEqual([2, 2, 0, 0, 1, 1, -1]);
		expect(t.sizes).toEqual([2, 2, 2]);
		expect(t.meanExam).toEqual([90, 70.5, 51]);
		const shuffled = trajectoryClusters(prev, exam, Int32Array.from([1, 1, 2, 2, 0, 0, 0]), 3);
		expect(Array.from(shuffled.labels)).toEqual(Array.from(t.labels));
		expect(shuffled.order).toEqual([2, 0, 1]);
	});
	it('clusters by itself when no labels are given (deterministic)', () => {
		const rng = createRng(3);
		const n = 300;
		const prev = new Float64Array(n);
		const exam = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const g = i % 3;
			prev[i] = [85, 70, 55][g] + 3 * rng.normal();
			exam[i] = [88, 68, 48][g] + 3 * rng.normal();
		}
		const t = trajectoryClusters(prev, exam);
		expect(t.sizes).toEqual([100, 100, 100]);
		for (let i = 0; i < n; i++) expect(t.labels[i]).toBe(i % 3);
		expect(trajectoryClusters(prev, exam)).toEqual(t);
	});
	it('names for other k, empty groups and no data', () => {
		expect(trajectoryNames(1)).toEqual(['All students']);
		expect(trajectoryNames(2)).toEqual(['High achievers', 'At risk']);
		expect(trajectoryNames(4)).toEqual([
			'High achievers',
			'Upper moderate',
			'Lower moderate',
			'At risk'
		]);
		expect(trajectoryNames(5)).toEqual([
			'High achievers',
			'Moderate 1',
			'Moderate 2',
			'Moderate 3',
			'At risk'
		]);
		const t = trajectoryClusters([1, 2], [3, 4], [0, 0], 3);
		expect(t.sizes).toEqual([2, 0, 0]);
		expect(t.meanExam).toEqual([3.5, null, null]);
		expect(trajectoryClusters([], []).labels.length).toBe(0);
	});
});

describe('nearestPersona', () => {
	it('returns the nearest centre and every distance', () => {
		const r = nearestPersona(Float64Array.from([0, 0, 3, 4, -1, 0]), 3, 2, [2.5, 3]);
		expect(r.persona).toBe(1);
		expect(r.distances[0]).toBeCloseTo(Math.hypot(2.5, 3), 12);
		expect(r.distances[1]).toBeCloseTo(Math.hypot(0.5, 1), 12);
	});
});

function classInput(): PersonaInsightInput {
	// 120 students: personas 0 (60), 1 (45), 2 (8, too small), 7 with no persona.
	const labels: number[] = [];
	const traj: number[] = [];
	const gender: number[] = [];
	const school: number[] = [];
	for (let i = 0; i < 120; i++) {
		const p = i < 60 ? 0 : i < 105 ? 1 : i < 113 ? 2 : -1;
		labels.push(p);
		traj.push(p === 0 ? (i % 10 < 7 ? 0 : 1) : p === 1 ? (i % 10 < 6 ? 2 : 1) : i % 3);
		gender.push(p === 0 ? (i % 4 === 0 ? 1 : 0) : i % 2);
		school.push(i % 20 === 0 ? 1 : 0);
	}
	return {
		names: ['Motivated, hard-working', 'Short on sleep, low motivation', 'Often absent'],
		labels: Int32Array.from(labels),
		profile: {
			features: ['Hours_Studied', 'Sleep_Hours', 'Motivation_Level', 'Attendance'],
			centersStd: Float64Array.from([0.9, 0.2, 1.1, 0.4, -0.3, -1.4, -0.9, -0.2, 0, 0, 0, -1.8])
		},
		trajectory: { labels: Int32Array.from(traj), names: ['High achievers', 'Moderate', 'At risk'] },
		gender: { name: 'Gender', codes: Int32Array.from(gender), levels: ['Male', 'Female'] },
		school: { name: 'School_Type', codes: Int32Array.from(school), levels: ['Public', 'Private'] }
	};
}

describe('personaInsights', () => {
	it('has exactly the six keys, each a list of sentences', () => {
		const ins = personaInsights(classInput());
		expect(Object.keys(ins)).toEqual([...PERSONA_INSIGHT_KEYS]);
		for (const key of PERSONA_INSIGHT_KEYS) {
			expect(ins[key].length).toBeGreaterThan(0);
			for (const s of ins[key]) expect(typeof s).toBe('string');
		}
	});
	it('writes shares, trajectories, profiles, breakdowns and recommendations from the numbers', () => {
		const ins = personaInsights(classInput());
		expect(ins.mega_pie_insights).toContain('“Motivated, hard-working”: 60 students (50%).');
		expect(ins.mega_pie_insights).toContain('“Often absent”: fewer than 10 students — not shown.');
		expect(ins.mega_pie_insights).toContain(
			'Students who fit no persona: fewer than 10 students — not shown.'
		);
		expect(ins.trajectory_wise_persona[0]).toBe(
			'“Motivated, hard-working” (60 students with both scores): 70% “High achievers”, 30% “Moderate” and 0% “At risk”.'
		);
		expect(ins.trajectory_wise_persona[2]).toBe(
			'“Often absent” with both scores: fewer than 10 students — not shown.'
		);
		expect(ins.trajectory_wise_persona).toContain(
			'Most students on the “At risk” trajectory are “Short on sleep, low motivation” (94% of them).'
		);
		expect(ins.trajectory_wise_persona).toContain(
			'“Short on sleep, low motivation” has the highest share on the “At risk” trajectory: 64%, against 27% for the class.'
		);
		expect(ins.spider_chart_inferences[1]).toBe(
			'“Short on sleep, low motivation” stands out on sleep hours (−1.4 SD), motivation level (−0.9 SD) and hours studied (−0.3 SD). To watch: sleep hours and motivation level.'
		);
		expect(ins.spider_chart_inferences[2]).toBe(
			'“Often absent”: fewer than 10 students — not shown.'
		);
		expect(
			ins.gender_insights.some((s) =>
				s.startsWith('“Motivated, hard-working” is more common among “Male” students')
			)
		).toBe(true);
		expect(ins.school_insights).toContain(
			'School type “Private”: fewer than 10 students — not shown.'
		);
		expect(ins.actionable_recommendations[0]).toMatch(
			/^“Short on sleep, low motivation” \(45 students\) — the typical student sleeps about 1\.4 SD less/
		);
		expect(ins.actionable_recommendations).toContain(
			'Check in early with “Short on sleep, low motivation”: 64% of them are on the “At risk” trajectory, against 27% of the class.'
		);
		expect(ins.actionable_recommendations.join(' ')).not.toContain('Often absent');
	});
	it('shows small groups when the user opts out of suppression', () => {
		const ins = personaInsights({ ...classInput(), showSmallGroups: true });
		expect(ins.mega_pie_insights).toContain('“Often absent”: 8 students (7%).');
		expect(ins.mega_pie_insights.join(' ')).not.toContain('not shown');
		expect(ins.spider_chart_inferences[2]).toMatch(
			/^“Often absent” stands out on attendance \(−1\.8 SD\)/
		);
	});
	it('says what is missing instead of failing', () => {
		const ins = personaInsights({ names: ['A'], labels: [0, 0, 0] });
		expect(ins.trajectory_wise_persona[0]).toMatch(/No earlier and final scores/);
		expect(ins.spider_chart_inferences[0]).toMatch(/No feature profile/);
		expect(ins.gender_insights[0]).toMatch(/No gender column/);
		expect(ins.school_insights[0]).toMatch(/No school type column/);
		expect(personaInsights({ names: [], labels: [] }).mega_pie_insights).toEqual([
			'There are no students to describe.'
		]);
	});
	it('text is always clean: no raw floats, NaN or undefined (property)', () => {
		fc.assert(
			fc.property(
				fc.record({
					k: fc.integer({ min: 1, max: 6 }),
					n: fc.integer({ min: 0, max: 200 }),
					seed: fc.integer(),
					minCell: fc.integer({ min: 1, max: 15 }),
					open: fc.boolean(),
					withNan: fc.boolean()
				}),
				({ k, n, seed, minCell, open, withNan }) => {
					const rng = createRng(seed);
					const d = 4;
					const z = Float64Array.from({ length: k * d }, () =>
						withNan && rng.next() < 0.1 ? NaN : rng.normal() * 1.5
					);
					const input: PersonaInsightInput = {
						names: Array.from({ length: k }, (_, c) => `Persona ${c + 1}`),
						labels: Int32Array.from({ length: n }, () => rng.int(k + 1) - 1),
						profile: {
							features: ['Hours_Studied', 'Sleep_Hours', 'weird col', 'Gender=Female'],
							centersStd: z
						},
						trajectory: {
							labels: Int32Array.from({ length: n }, () => rng.int(4) - 1),
							names: ['High achievers', 'Moderate', 'At risk']
						},
						gender: {
							name: 'Gender',
							codes: Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.int(2))),
							levels: ['Male', 'Female']
						},
						school:
							rng.next() < 0.5
								? null
								: {
										name: 'School_Type',
										codes: Int32Array.from({ length: n }, () => rng.int(2)),
										levels: ['Public', 'Private']
									},
						minCell,
						showSmallGroups: open,
						weak: rng.next() < 0.5
					};
					const ins = personaInsights(input);
					expect(Object.keys(ins)).toEqual([...PERSONA_INSIGHT_KEYS]);
					for (const key of PERSONA_INSIGHT_KEYS) {
						for (const s of ins[key]) {
							expect(s).not.toMatch(DIRTY);
							expect(s.trim()).toBe(s);
							expect(s.length).toBeGreaterThan(0);
						}
					}
					if (!open) {
						// No count between 1 and minCell − 1 is ever printed as "N students".
						for (const key of PERSONA_INSIGHT_KEYS) {
							for (const s of ins[key]) {
								if (key === 'mega_pie_insights' && s.startsWith('The ')) continue; // the class itself
								for (const m of s.matchAll(/(\d+) students?\b/g)) {
									const v = Number(m[1]);
									expect(v === 0 || v >= minCell).toBe(true);
								}
							}
						}
					}
				}
			),
			{ numRuns: 150 }
		);
	});
});
