/**
 * Real against validated scores over time, one series per model version: what the /monitor
 * chart and its table show, so a teacher sees whether a retrained version fixed a drift.
 */
export interface CheckLike {
	at: number;
	modelId: string;
	modelVersion: number;
	n: number;
	metrics: Readonly<Record<string, number>>;
	validated: Readonly<Record<string, number>>;
	flagged: boolean;
}

export interface OutcomePoint {
	at: number;
	/** The metric on the real results; NaN when the check lacked it. */
	real: number;
	/** The cross-validated value of the same metric. */
	validated: number;
	n: number;
	flagged: boolean;
}

export interface VersionSeries {
	modelId: string;
	version: number;
	points: OutcomePoint[];
}

/** Checks grouped by model version (ascending), each series oldest first. */
export function outcomeSeries(checks: readonly CheckLike[], metric: string): VersionSeries[] {
	const byModel = new Map<string, VersionSeries>();
	for (const c of checks) {
		let s = byModel.get(c.modelId);
		if (!s) {
			s = { modelId: c.modelId, version: c.modelVersion, points: [] };
			byModel.set(c.modelId, s);
		}
		s.points.push({
			at: c.at,
			real: c.metrics[metric] ?? NaN,
			validated: c.validated[metric] ?? NaN,
			n: c.n,
			flagged: c.flagged
		});
	}
	const out = [...byModel.values()];
	for (const s of out) s.points.sort((a, b) => a.at - b.at);
	return out.sort((a, b) => a.version - b.version || a.modelId.localeCompare(b.modelId));
}
