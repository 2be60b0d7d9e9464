/**
 * Server-side renders of the /monitor pieces (no DOM here): the page and its sections build
 * without a database behind them, and the history chart carries its summary, legend and data
 * table, with flagged checks told apart by shape, not colour alone.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import Page from '../../../src/routes/monitor/+page.svelte';
import OutcomeTrendChart from '$lib/components/monitor/OutcomeTrendChart.svelte';
import PredictionLog from '$lib/components/monitor/PredictionLog.svelte';
import OutcomesSection from '$lib/components/monitor/OutcomesSection.svelte';

describe('/monitor renders', () => {
	it('the page and its empty sections', () => {
		expect(render(Page).body).toContain('<h1>Monitor</h1>');
		const log = render(PredictionLog, { props: { models: [], datasetNames: new Map() } }).body;
		expect(log).toContain('Prediction log');
		for (const label of ['log-model', 'log-kind', 'log-from', 'log-to']) {
			expect(log).toContain(`for="${label}"`);
		}
		const outcomes = render(OutcomesSection, { props: { models: [], datasets: [] } }).body;
		expect(outcomes).toContain('There is no model yet');
	});

	it('the history chart, with a summary, a legend and a table', () => {
		const day = 86_400_000;
		const body = render(OutcomeTrendChart, {
			props: {
				title: 'RMSE in class and validated, per version',
				series: [
					{
						modelId: 'a',
						version: 1,
						points: [
							{ at: 1.7e12, real: 5.2, validated: 5, n: 20, flagged: false },
							{ at: 1.7e12 + 30 * day, real: 7, validated: 5, n: 35, flagged: true }
						]
					},
					{
						modelId: 'b',
						version: 2,
						points: [{ at: 1.7e12 + 40 * day, real: 5.5, validated: 5.4, n: 35, flagged: false }]
					}
				],
				metric: 'RMSE',
				lowerIsBetter: true,
				format: (v: number) => v.toFixed(2)
			}
		}).body;
		expect(body).toContain(
			'aria-label="RMSE in class and validated, per version. Lower is better. v1: 2 checks, latest RMSE 7.00 against 5.00 validated, 1 flagged; v2: 1 check, latest RMSE 5.50 against 5.40 validated. A data table follows."'
		);
		expect(body).toContain('v2 validated');
		expect(body).toContain('Flagged for retraining');
		// One triangle for the flagged check (plus the legend's), circles for the others.
		expect(body.match(/<circle[^>]*class="pt/g)?.length).toBe(2 + 2);
		expect(body.match(/<tr>/g)?.length).toBe(1 + 3);
	});
});
