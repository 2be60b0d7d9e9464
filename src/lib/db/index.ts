/** Public API of the Classlens database, for the UI (with liveQuery) and the worker. */
export { ClasslensDB, DEFAULT_DB_NAME, openDb, closeDb } from './schema';
export { CURRENT_VERSION } from './migrations';
export {
	saveFrameAsDataset,
	loadFrame,
	listDatasets,
	getDataset,
	renameDataset,
	updateColumnRoles,
	setDatasetTarget,
	deleteDataset,
	appendToDataset,
	type SaveDatasetMeta,
	type SaveDatasetOptions,
	type LoadFrameOptions,
	type AppendOptions
} from './datasets';
export { DEFAULT_CHUNK_ROWS, estimateFrameBytes } from './columns';
export { editCells, type CellEdit, type EditResult } from './edit';
export {
	beginStaged,
	writeStagedChunk,
	completeStaged,
	finaliseStaged,
	deleteStaged,
	type FinaliseMeta
} from './staging';
export {
	saveModel,
	listModels,
	getModel,
	activateModel,
	getActiveModel,
	deleteModel,
	updateModelNotes,
	renameModel,
	importModelRecord,
	listVersions,
	type ImportedModel,
	type SaveModelOptions
} from './models';
export {
	getSetting,
	setSetting,
	resetSetting,
	type SettingsMap,
	type SettingKey,
	type BackendPreference
} from './settings';
export { logEvent, listEvents, clearEvents, MAX_SUMMARY_LENGTH, type NewAuditEvent } from './audit';
export {
	getStorageEstimate,
	requestPersistence,
	isPersisted,
	deleteEverything,
	deleteDatabase,
	byteSizeOfDataset
} from './storage';
export { isQuotaError, STORAGE_FULL_MESSAGE } from './storage-errors';
export type * from './types';
