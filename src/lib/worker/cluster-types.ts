/**
 * What the persona dashboard and the worker's clustering calls exchange (cluster-api.ts builds
 * these, the /personas page draws them). Plain data only: it crosses postMessage.
 */

export type ClusterAlgorithm = 'kmeans' | 'dbscan' | 'gmm' | 'ward';

export const ALGORITHM_LABELS: Record<ClusterAlgorithm, string> = {
	kmeans: 'k-means',
	dbscan: 'DBSCAN (density)',
	gmm: 'Gaussian mixture',
	ward: 'Ward (hierarchical)'
};

export interface ClusterFeature {
	name: string;
	/** The column name for people: "Hours studied". */
	label: string;
	kind: 'numeric' | 'categorical';
	/** Categorical: the levels in their stored (ordered where known) order. */
	levels: string[] | null;
}

export interface ClusterPreview {
	datasetId: string;
	datasetName: string;
	nRows: number;
	profile: string | null;
	/** Columns that can be features (numbers and categories with few levels). */
	candidates: ClusterFeature[];
	/** The persona model's default feature set (8 on the wellbeing survey). */
	defaultFeatures: string[];
	/** Numeric columns, for the trajectory model. */
	numeric: string[];
	/** The default trajectory (previous scores → exam score), when the data has one. */
	trajectory: { from: string; to: string } | null;
	/** Categorical columns with 2–12 levels, to break personas down by. */
	groupings: string[];
	/** School type and gender when present. */
	defaultGroupings: string[];
	idColumn: string | null;
	target: string | null;
	/** The active model for the dataset's target, used by the scenario simulator. */
	model: { id: string; name: string; target: string } | null;
}

export interface ClusterRequest {
	datasetId: string;
	features: string[];
	algorithm: ClusterAlgorithm;
	/** k-means, GMM, Ward: the number of personas, or 'auto' to choose it over 2..10. */
	k?: number | 'auto';
	/** DBSCAN */
	eps?: number;
	minPts?: number;
	/** GMM */
	covariance?: 'diag' | 'full';
	seed?: number;
	/** Previous → final score model; null to skip. Default: the preview's suggestion. */
	trajectory?: { from: string; to: string } | null;
	/** Columns to break the personas down by. Default: school type and gender when present. */
	groupings?: string[];
	/** Below this silhouette the structure is called weak (default 0.25). */
	weakThreshold?: number;
	/** Groups with fewer students than this are suppressed (default 10). */
	minGroup?: number;
}

export interface DashboardFeature extends ClusterFeature {
	/** Class mean and standard deviation in the column's units (categorical: of the level index). */
	mean: number;
	sd: number;
	min: number;
	max: number;
}

export interface PersonaView {
	index: number;
	name: string;
	description: string;
	size: number;
	share: number;
	/** Fewer than minGroup students: its statistics are not shown. */
	suppressed: boolean;
	/** Average per feature in the column's units (categorical: average level index). */
	centroid: number[];
	/** The same, in standard deviations from the class average. */
	z: number[];
	/** Average of the outcome column (the trajectory's final score), when known. */
	outcome: number | null;
	/** GMM only: the average probability of belonging to this persona among its members. */
	certainty: number | null;
}

export interface TrajectoryView {
	from: string;
	to: string;
	/** Ordered: high achievers, moderate, at risk. */
	names: string[];
	sizes: number[];
	/** Centre of each group in the two columns' units. */
	centers: { from: number; to: number }[];
}

/** Counts with small cells suppressed (null) and totals. */
export interface CrossTableView {
	rowLabel: string;
	colLabel: string;
	rows: string[];
	cols: string[];
	counts: (number | null)[][];
	rowTotals: (number | null)[];
	colTotals: (number | null)[];
	suppressedCells: number;
}

export interface BreakdownView {
	column: string;
	label: string;
	/** One entry per level of the column. */
	levels: {
		level: string;
		n: number;
		/** Per persona: share of this level's students; null when suppressed. */
		shares: (number | null)[] | null;
		counts: (number | null)[] | null;
		suppressed: boolean;
	}[];
}

export interface MapView {
	x: number[];
	y: number[];
	group: number[];
	labels: string[];
	/** Dataset row of each point. */
	rows: number[];
	/** Per point, its value of each persona feature (a level name for categories; null = missing). */
	values: (number | string | null)[][];
	/** Share of the variance each axis explains. */
	explained: [number, number];
	axisLabels: [string, string];
	/** Points drawn (≤ 2,000) and students in all. */
	shown: number;
	total: number;
}

export interface DistributionView {
	feature: string;
	label: string;
	levels: string[] | null;
	rows: {
		index: number;
		label: string;
		stats: {
			min: number;
			q1: number;
			median: number;
			q3: number;
			max: number;
			mean: number;
			n: number;
		} | null;
		shares: number[] | null;
	}[];
}

export interface OutlierView {
	row: number;
	id: string;
	/** The features most unusual for this student, in words. */
	reason: string;
}

export interface DendrogramView {
	/** Segments of the tree in layout units: x in [0, leaves), y = merge height. */
	segments: { x1: number; y1: number; x2: number; y2: number; cluster: number }[];
	leaves: number;
	/** Height at which the tree was cut into k groups. */
	cut: number;
	maxHeight: number;
	/** Rows clustered directly (the tree is of a sample beyond this). */
	sampled: number;
}

/** The exported insights file: exactly these keys. */
export interface PersonaInsightsJson {
	mega_pie_insights: string[];
	trajectory_wise_persona: string[];
	spider_chart_inferences: string[];
	gender_insights: string[];
	school_insights: string[];
	actionable_recommendations: string[];
}

export const INSIGHT_SECTIONS: { key: keyof PersonaInsightsJson; title: string }[] = [
	{ key: 'mega_pie_insights', title: 'How the class splits' },
	{ key: 'trajectory_wise_persona', title: 'Personas and score trajectories' },
	{ key: 'spider_chart_inferences', title: 'What sets each persona apart' },
	{ key: 'gender_insights', title: 'Differences by gender' },
	{ key: 'school_insights', title: 'Differences by school type' },
	{ key: 'actionable_recommendations', title: 'What to do next' }
];

export interface PersonaDashboard {
	datasetId: string;
	datasetName: string;
	algorithm: ClusterAlgorithm;
	/** The parameters the fit used (k, eps, minPts, covariance, seed, scaling, …). */
	params: Record<string, number | string | boolean | null>;
	k: number;
	features: DashboardFeature[];
	personas: PersonaView[];
	nRows: number;
	/** Rows clustered; the rest had missing values in the features. */
	rowsUsed: number;
	metrics: Record<string, number>;
	/** Set when the silhouette is below the threshold. */
	weak: { threshold: number; silhouette: number; message: string } | null;
	/** How k was chosen, when automatic. */
	autoK: { k: number; explanation: string } | null;
	trajectory: TrajectoryView | null;
	crossTable: CrossTableView | null;
	breakdowns: BreakdownView[];
	map: MapView;
	distributions: DistributionView[];
	outliers: OutlierView[];
	/** Students in no group (DBSCAN noise). */
	nNoise: number;
	dendrogram: DendrogramView | null;
	insights: PersonaInsightsJson;
	/** Sentences naming every statistic left out for having fewer than minGroup students. */
	suppressed: string[];
	minGroup: number;
	/** The model column (exam score) the outcome means refer to. */
	outcome: string | null;
}

export interface ClusterRun {
	/** Handle for the scenario simulator, stability and saving (kept in the worker). */
	runId: string;
	/** The saved clustering this run shows, if any. */
	savedId: string | null;
	dashboard: PersonaDashboard;
}

export interface KScan {
	algorithm: ClusterAlgorithm;
	ks: number[];
	inertia: number[] | null;
	silhouette: number[];
	daviesBouldin: number[];
	calinskiHarabasz: number[];
	bic: number[] | null;
	best: number;
	explanation: string;
}

export interface KDistanceCurve {
	minPts: number;
	/** Sorted distances to the (minPts − 1)-th neighbour, thinned to ≤ 500 points. */
	x: number[];
	y: number[];
	eps: number;
	explanation: string;
	n: number;
}

export interface StabilityView {
	resamples: number;
	/** Per persona: mean Jaccard similarity with its best match across resamples. */
	jaccard: number[];
	meanJaccard: number;
	/** Mean adjusted Rand index between the full fit and the resampled fits. */
	ari: number | null;
	verdict: string;
}

export interface ScenarioRequest {
	runId: string;
	/** The dataset row of the student whose features are changed. */
	row: number;
	/** New values by feature (numbers, or level names for categories). */
	values: Record<string, number | string>;
}

export interface ScenarioResult {
	from: number;
	to: number;
	names: string[];
	/** Distance to each persona centre (standardised units), nearest first is `to`. */
	distances: number[];
	/** GMM: probability of each persona. */
	probabilities: number[] | null;
	prediction: {
		model: string;
		target: string;
		/** Regression: the score; classification: the class. */
		value: string;
		before: string;
		range: string | null;
	} | null;
	/** Why there is no prediction, when there is none. */
	predictionNote: string | null;
}

export interface ClusteringComparison {
	a: { id: string; label: string; k: number; metrics: Record<string, number> };
	b: { id: string; label: string; k: number; metrics: Record<string, number> };
	/** Adjusted Rand index on the rows both assigned. */
	ari: number;
	table: CrossTableView;
	verdict: string;
}
