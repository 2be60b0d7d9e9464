/**
 * The Classlens IndexedDB database. The same class is opened by the UI (which reads through
 * liveQuery) and by the Web Worker (which imports and trains); each context gets its own
 * connection, and Dexie broadcasts changes between them so the UI's live queries update when
 * the worker writes.
 *
 * Storage layout (v3):
 *   datasets       id                          metadata only, small: listing never touches data
 *   chunks         [datasetId+column+chunk]    one typed array per column per `chunkRows` rows
 *   dictionaries   [datasetId+column]          one string[] per categorical column
 *   models         id; [datasetId+target]      versioned per dataset + target, one active
 *   predictions    id; modelId, datasetId      scores as typed arrays
 *   clusterings    id; datasetId               assignments as Uint32Array
 *   interventions  id; [datasetId+studentId]   a teacher's notes of actions taken
 *   audit          ++id; [type+at]             what happened, never student identifiers
 *   settings       key                         typed via SettingsMap (settings.ts)
 *   predictionLog  ++id; [modelId+at], kind    every prediction made (prediction-log.ts)
 *   actuals        [datasetId+studentId+target] students' real results (outcomes.ts)
 *   outcomeChecks  id; [modelId+at]            predictions compared with real results
 *   studyPlans     id; [datasetId+studentId]   a teacher's plans per student (study-plans.ts)
 * See migrations.ts for the version history.
 */
import Dexie, { type Table } from 'dexie';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, upgradeV1toV2 } from './migrations';
import type {
	ActualKey,
	ActualRecord,
	AuditEvent,
	ChunkKey,
	ChunkRecord,
	ClusteringRecord,
	DatasetRecord,
	DictionaryKey,
	DictionaryRecord,
	InterventionRecord,
	ModelRecord,
	OutcomeCheckRecord,
	PredictionLogEntry,
	PredictionRecord,
	SettingRecord,
	StudyPlanRecord
} from './types';

export const DEFAULT_DB_NAME = 'classlens';

export class ClasslensDB extends Dexie {
	// `declare` so class-field semantics do not overwrite the tables Dexie attaches in stores().
	declare datasets: Table<DatasetRecord, string>;
	declare chunks: Table<ChunkRecord, ChunkKey>;
	declare dictionaries: Table<DictionaryRecord, DictionaryKey>;
	declare models: Table<ModelRecord, string>;
	declare predictions: Table<PredictionRecord, string>;
	declare clusterings: Table<ClusteringRecord, string>;
	declare interventions: Table<InterventionRecord, string>;
	declare audit: Table<AuditEvent, number>;
	declare settings: Table<SettingRecord, string>;
	declare predictionLog: Table<PredictionLogEntry, number>;
	declare actuals: Table<ActualRecord, ActualKey>;
	declare outcomeChecks: Table<OutcomeCheckRecord, string>;
	declare studyPlans: Table<StudyPlanRecord, string>;

	constructor(name: string = DEFAULT_DB_NAME) {
		super(name);
		this.version(1).stores(SCHEMA_V1);
		this.version(2).stores(SCHEMA_V2).upgrade(upgradeV1toV2);
		this.version(3).stores(SCHEMA_V3);
	}
}

const open = new Map<string, ClasslensDB>();

/** One connection per name per JS context; Dexie opens it lazily on the first query. */
export function openDb(name: string = DEFAULT_DB_NAME): ClasslensDB {
	let db = open.get(name);
	if (!db) {
		db = new ClasslensDB(name);
		open.set(name, db);
	}
	return db;
}

export function closeDb(name: string = DEFAULT_DB_NAME): void {
	const db = open.get(name);
	if (!db) return;
	open.delete(name);
	db.close();
}
