import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClasslensDB } from '$lib/db';
import {
	addIntervention,
	deleteIntervention,
	listInterventions,
	updateIntervention
} from '$lib/db/interventions';
import {
	addStudyPlan,
	cleanLink,
	deleteStudyPlan,
	getStudyPlan,
	listStudyPlans,
	updateStudyPlan
} from '$lib/db/study-plans';
import { AppException } from '$lib/errors';
import { freshDb } from './helpers';

let close = () => {};
afterEach(() => close());

function setup(): ClasslensDB {
	const f = freshDb();
	close = f.close;
	return f.db;
}

const code = async (p: Promise<unknown>) =>
	((await p.catch((e: unknown) => e)) as AppException).appError.code;

describe('study plans', () => {
	it('adds, lists per dataset and student, updates and deletes', async () => {
		const db = setup();
		const a = await addStudyPlan(db, {
			datasetId: 'd1',
			studentId: 'S1',
			subject: ' Maths ',
			title: '  Fractions   practice ',
			note: 'Two worksheets a week',
			link: 'https://example.org/fractions'
		});
		expect(a).toMatchObject({
			subject: 'Maths',
			title: 'Fractions practice',
			link: 'https://example.org/fractions',
			note: 'Two worksheets a week'
		});
		expect(a.createdAt).toBe(a.updatedAt);
		const b = await addStudyPlan(db, { datasetId: 'd1', studentId: 'S2', title: 'Reading' });
		expect(b).toMatchObject({ subject: '', note: '', link: null });
		await addStudyPlan(db, { datasetId: 'd2', studentId: 'S1', title: 'Other class' });

		expect((await listStudyPlans(db, { datasetId: 'd1' })).length).toBe(2);
		expect(
			(await listStudyPlans(db, { datasetId: 'd1', studentId: 'S1' })).map((p) => p.id)
		).toEqual([a.id]);
		const u = await updateStudyPlan(db, a.id, { note: 'Done', link: '' });
		expect(u).toMatchObject({ note: 'Done', link: null, title: 'Fractions practice' });
		expect(u.updatedAt).toBeGreaterThan(a.updatedAt);
		// Most recently changed first.
		expect((await listStudyPlans(db, { datasetId: 'd1' }))[0].id).toBe(a.id);
		await deleteStudyPlan(db, a.id);
		expect(await getStudyPlan(db, a.id)).toBeUndefined();
		expect(await code(updateStudyPlan(db, a.id, { note: 'x' }))).toBe('study-plan-not-found');
	});

	it('accepts only http(s) links and a title', async () => {
		const db = setup();
		expect(cleanLink(null)).toBeNull();
		expect(cleanLink(' http://school.example/a b ')).toBe('http://school.example/a%20b');
		for (const bad of [
			'javascript:alert(1)',
			'data:text/html,hi',
			'not a url',
			'ftp://x.org',
			'https://user:pw@x.org/',
			`https://x.org/${'a'.repeat(2000)}`
		]) {
			expect(() => cleanLink(bad), bad).toThrow(AppException);
		}
		expect(await code(addStudyPlan(db, { datasetId: 'd', studentId: 's', title: '   ' }))).toBe(
			'study-plan-invalid'
		);
		expect(
			await code(
				addStudyPlan(db, { datasetId: 'd', studentId: 's', title: 'x', link: 'javascript:x' })
			)
		).toBe('study-plan-invalid');
		expect(await db.studyPlans.count()).toBe(0);
	});
});

describe('interventions', () => {
	it('adds, lists most recent first, updates and deletes', async () => {
		const db = setup();
		const a = await addIntervention(db, {
			datasetId: 'd1',
			studentId: 'S1',
			type: ' meeting ',
			date: 100,
			note: 'Talked about homework'
		});
		expect(a).toMatchObject({ type: 'meeting', date: 100 });
		await addIntervention(db, { datasetId: 'd1', studentId: 'S1', type: 'tutoring', date: 300 });
		await addIntervention(db, {
			datasetId: 'd1',
			studentId: 'S2',
			type: 'parent-contact',
			date: 200
		});
		expect((await listInterventions(db, { datasetId: 'd1' })).map((i) => i.date)).toEqual([
			300, 200, 100
		]);
		expect(
			(await listInterventions(db, { datasetId: 'd1', studentId: 'S1' })).map((i) => i.type)
		).toEqual(['tutoring', 'meeting']);
		const u = await updateIntervention(db, a.id, { note: 'Follow-up booked', date: 400 });
		expect(u).toMatchObject({ note: 'Follow-up booked', date: 400, type: 'meeting' });
		await deleteIntervention(db, a.id);
		expect((await listInterventions(db, { datasetId: 'd1', studentId: 'S1' })).length).toBe(1);
		expect(await code(updateIntervention(db, a.id, { note: 'x' }))).toBe('intervention-not-found');
		expect(await code(addIntervention(db, { datasetId: 'd1', studentId: 'S1', type: ' ' }))).toBe(
			'intervention-invalid'
		);
		expect(
			await code(addIntervention(db, { datasetId: 'd1', studentId: 'S1', type: 'x', date: NaN }))
		).toBe('intervention-invalid');
	});
});
