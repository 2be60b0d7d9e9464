/**
 * The import steps as worker calls. The file stays a Blob in the worker; the built frame (typed
 * arrays, possibly hundreds of megabytes) stays here too, between "check" and "save", so it never
 * crosses to the page. The page gets the plan, the preview and the report.
 */
import { blobSource } from '../data/blob-source';
import type { CellFix } from '../data/infer/builder';
import type { BuiltFrame } from '../data/infer/bad-cells';
import { BAD_CELL_REASONS } from '../data/infer/bad-cells';
import {
	buildFrame,
	inspectFile,
	resolveImport,
	type FileInspection,
	type InspectOptions,
	type ReadSpec,
	type RowBlockStream
} from '../data/import';
import { DEFAULT_CHUNK_ROWS } from '../db/columns';
import type { FinaliseMeta, SaveDatasetMeta } from '../db';
import type { ImportPlan } from '../data/plan';
import { combineIssues, type ByteSource, type DataIssue } from '../data/types';
import { reportToCsv, type ValidationReport } from '../data/validate';
import { fail, ok, type Result } from '../errors';
import type { Frame } from '../ml/frame';
import { subProgress, type CancelToken, type ProgressFn } from '../ml/progress';
import { failure, type JobRegistry } from './jobs';

export interface BadCellView {
	frameRow: number;
	/** The spreadsheet row, as the teacher sees it. */
	row: number;
	column: string;
	raw: string;
	reason: string;
}

export interface ReportView {
	report: ValidationReport;
	readIssues: { issues: DataIssue[]; counts: Record<string, number> };
	nRows: number;
	bytes: number;
	seconds: number;
	/** The first cells that did not convert, for fixing in place. */
	badCells: BadCellView[];
	badCellCount: number;
	/** Fixes that still did not convert. */
	fixErrors: DataIssue[];
}

export interface CommitOptions {
	name: string;
	description?: string;
	/** Leave out report.rowsWithErrors (otherwise unreadable cells are kept as missing). */
	skipErrorRows: boolean;
	/** Add the rows to this dataset instead of creating one. */
	appendTo?: string;
}

export interface ImportApi {
	inspectImport(
		file: Blob,
		name: string,
		opts: Omit<InspectOptions, 'cancel'>
	): Promise<Result<FileInspection & { importId: string }>>;
	buildImport(
		importId: string,
		plan: ImportPlan,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<ReportView>>;
	fixImport(importId: string, fixes: CellFix[]): Promise<Result<ReportView>>;
	commitImport(
		importId: string,
		opts: CommitOptions,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<{ datasetId: string; rows: number }>>;
	importReportCsv(importId: string): Promise<Result<Blob>>;
	discardImport(importId: string): Promise<void>;
}

export interface ImportStorePort {
	saveFrameAsDataset(
		frame: Frame,
		meta: SaveDatasetMeta,
		opts?: { onProgress?: ProgressFn; cancel?: CancelToken }
	): Promise<{ id: string; name: string }>;
	finaliseStaged(id: string, meta: FinaliseMeta): Promise<{ id: string }>;
	deleteDataset(id: string): Promise<void>;
	beginStaged(meta: {
		name: string;
		fileName?: string | null;
		chunkRows?: number;
	}): Promise<string>;
	writeStagedChunk(
		id: string,
		chunk: number,
		columns: (Float64Array | Uint32Array)[]
	): Promise<void>;
	completeStaged(
		id: string,
		frame: Frame,
		meta: SaveDatasetMeta,
		fromChunk: number
	): Promise<{ id: string }>;
	appendToDataset(
		id: string,
		frame: Frame,
		opts?: { onProgress?: ProgressFn; cancel?: CancelToken }
	): Promise<{ id: string }>;
	logEvent(e: { type: string; summary: string; datasetId?: string }): Promise<unknown>;
}

/**
 * A streamed write-ahead: blocks of rows are written while the file is read, the rest once the
 * columns are built. `tail` is the last write queued (it resolves to the dataset id or rejects);
 * `done` settles when everything is written, with the id or the error.
 */
interface Staging {
	built: BuiltFrame | null;
	id: Promise<string>;
	tail: Promise<string>;
	done: Promise<{ id: string } | { error: unknown }> | null;
}

interface Session {
	source: ByteSource;
	staging: Staging | null;
	spec: ReadSpec;
	plan: ImportPlan | null;
	built: BuiltFrame | null;
	report: ValidationReport | null;
	readIssues: ReportView['readIssues'];
	bytes: number;
	seconds: number;
}

const BAD_CELLS_SHOWN = 200;
/** Rows per write-ahead block: the store's own chunk size, so blocks become chunks as they are. */
const STAGE_BLOCK_ROWS = DEFAULT_CHUNK_ROWS;
/** One import at a time is what the page does; a few more cover other tabs. */
const SESSIONS_KEPT = 3;

function badCellsOf(built: BuiltFrame, plan: ImportPlan): BadCellView[] {
	const b = built.badCells;
	const out: BadCellView[] = [];
	for (let i = 0; i < b.count && out.length < BAD_CELLS_SHOWN; i++) {
		out.push({
			frameRow: b.frameRows[i],
			row: built.sourceRows[b.frameRows[i]],
			column: plan.columns[b.columns[i]].name,
			raw: b.raw[i],
			reason: BAD_CELL_REASONS[b.reasons[i]]
		});
	}
	return out;
}

function view(s: Session, fixErrors: DataIssue[] = []): ReportView {
	const built = s.built!;
	return {
		report: s.report!,
		readIssues: s.readIssues,
		nRows: built.frame.nRows,
		bytes: s.bytes,
		seconds: s.seconds,
		badCells: badCellsOf(built, s.plan!),
		badCellCount: built.badCells.count,
		fixErrors
	};
}

function noSession<T>(): Result<T> {
	return fail(
		'import-expired',
		'This import is no longer open (the page may have been reloaded). Choose the file again.'
	);
}

export function createImportApi(
	jobs: JobRegistry,
	store: ImportStorePort,
	// Tests use small blocks; they must equal the store's chunk size for chunk k to be block k.
	options: { stageBlockRows?: number } = {}
): ImportApi {
	const blockRows = options.stageBlockRows ?? STAGE_BLOCK_ROWS;
	const sessions = new Map<string, Session>();
	let seq = 0;

	/** Opens a hidden dataset and returns the hook that writes each finished block of rows. */
	function startStaging(s: Session): RowBlockStream {
		const id = store.beginStaged({
			name: s.source.name,
			fileName: s.source.name,
			chunkRows: blockRows
		});
		const st: Staging = { built: null, id, tail: id, done: null };
		s.staging = st;
		return {
			rows: blockRows,
			onBlock: (block, columns) => {
				// Writes queue one after another; a failure skips the rest and surfaces in `done`.
				st.tail = st.tail.then(async (dsId) => {
					await store.writeStagedChunk(dsId, block, columns);
					return dsId;
				});
			}
		};
	}

	/** Queues the rest of the rows and the record once the columns are built and checked. */
	function completeStaging(
		s: Session,
		built: BuiltFrame,
		blocks: number,
		plan: ImportPlan,
		report: ValidationReport
	): void {
		const st = s.staging;
		if (!st) return;
		const roles = Object.fromEntries(plan.columns.map((c) => [c.name, c.role]));
		st.built = built;
		st.tail = st.tail.then(async (dsId) => {
			await store.completeStaged(
				dsId,
				built.frame,
				{
					name: s.source.name,
					profile: plan.profile?.profile ?? null,
					source: 'upload',
					fileName: s.source.name,
					roles,
					target: plan.columns.find((c) => c.role === 'target')?.name ?? null,
					// Counted by the validation already; the store need not count them again.
					missingCounts: report.columns.map((c) => c.nMissing)
				},
				blocks
			);
			return dsId;
		});
		st.done = st.tail.then(
			(dsId) => ({ id: dsId }),
			(error: unknown) => ({ error })
		);
	}

	/** Forgets a write-ahead and removes what it wrote, once its queued writes have settled. */
	function dropStaging(s: Session): void {
		const st = s.staging;
		s.staging = null;
		if (!st) return;
		void st.tail
			.catch(() => st.id)
			.then((dsId) => store.deleteDataset(dsId))
			.catch(() => undefined);
	}

	return {
		async inspectImport(file, name, opts) {
			try {
				const source = blobSource(file, name);
				const insp = await inspectFile(source, opts);
				const importId = `imp-${++seq}-${Date.now().toString(36)}`;
				sessions.set(importId, {
					source,
					staging: null,
					spec: { format: insp.format, dialect: insp.dialect, sheet: insp.sheet },
					plan: null,
					built: null,
					report: null,
					readIssues: { issues: [], counts: {} },
					bytes: 0,
					seconds: 0
				});
				while (sessions.size > SESSIONS_KEPT) {
					const oldest = sessions.keys().next().value!;
					dropStaging(sessions.get(oldest)!);
					sessions.delete(oldest);
				}
				return ok({ ...insp, importId });
			} catch (e) {
				return failure(e, 'Reading the file was cancelled.');
			}
		},

		async buildImport(importId, plan, onProgress, jobId) {
			const s = sessions.get(importId);
			if (!s) return noSession();
			const { token, report, finish } = jobs.start(jobId, onProgress);
			try {
				// Drop the previous attempt first: two built frames at once would double the memory.
				s.built = null;
				s.report = null;
				dropStaging(s);
				const stream = startStaging(s);
				const r = await buildFrame(s.source, s.spec, plan, {
					onProgress: report,
					cancel: token,
					stream,
					onBuilt: (built, blocks, checked) => completeStaging(s, built, blocks, plan, checked)
				}).catch((e: unknown) => {
					dropStaging(s);
					throw e;
				});
				Object.assign(s, {
					plan,
					built: r.built,
					report: r.report,
					readIssues: r.readIssues,
					bytes: r.bytes,
					seconds: r.seconds
				});
				return ok(view(s));
			} catch (e) {
				return failure(e, 'Checking the file was cancelled. Nothing was saved.');
			} finally {
				finish();
			}
		},

		async fixImport(importId, fixes) {
			const s = sessions.get(importId);
			if (!s?.built || !s.plan) return noSession();
			try {
				const r = resolveImport(s.built, s.plan, { fixes });
				s.built = r.built;
				s.report = r.report;
				return ok(view(s, r.fixErrors));
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		async commitImport(importId, opts, onProgress, jobId) {
			const s = sessions.get(importId);
			if (!s?.built || !s.plan || !s.report) return noSession();
			const { token, report, finish } = jobs.start(jobId, onProgress);
			try {
				const plan = s.plan;
				let built = s.built;
				if (opts.skipErrorRows && s.report.rowsWithErrors.length) {
					built = resolveImport(built, plan, { skipRows: s.report.rowsWithErrors }).built;
				}
				if (built.frame.nRows === 0) {
					return fail('nothing-to-save', 'No rows are left to save. Nothing was changed.');
				}
				const roles = Object.fromEntries(plan.columns.map((c) => [c.name, c.role]));
				const target = plan.columns.find((c) => c.role === 'target')?.name ?? null;
				const saving = subProgress(report, 0, 1);
				const progress: ProgressFn = (p) => saving({ ...p, phase: 'Saving to this device' });
				let datasetId: string | null = null;
				// The write-ahead holds exactly these rows unless fixes or skipped rows changed them.
				const staging = s.staging;
				if (!opts.appendTo && staging?.done && staging.built === built) {
					report({ fraction: 0.1, phase: 'Saving to this device' });
					const r = await staging.done;
					token.throwIfCancelled();
					if ('id' in r) {
						// Another tab's start-up may have cleared an old write-ahead: then save afresh.
						const finalised = await store
							.finaliseStaged(r.id, {
								name: opts.name.trim() || s.source.name,
								description: opts.description,
								roles,
								target
							})
							.then(
								() => true,
								() => false
							);
						if (finalised) {
							s.staging = null;
							datasetId = r.id;
						}
					}
					// A failed write-ahead (e.g. the disk was full then) is retried below, so the
					// teacher sees the error of a real attempt.
				}
				if (datasetId === null) {
					dropStaging(s);
					if (opts.appendTo) {
						await store.appendToDataset(opts.appendTo, built.frame, {
							onProgress: progress,
							cancel: token
						});
						datasetId = opts.appendTo;
					} else {
						const rec = await store.saveFrameAsDataset(
							built.frame,
							{
								name: opts.name.trim() || s.source.name,
								description: opts.description,
								profile: plan.profile?.profile ?? null,
								source: 'upload',
								fileName: s.source.name,
								roles,
								target
							},
							{ onProgress: progress, cancel: token }
						);
						datasetId = rec.id;
					}
				}
				const skipped = s.built.frame.nRows - built.frame.nRows;
				// Counts and the file's kind only: no names or values from the file in the log.
				await store.logEvent({
					type: opts.appendTo ? 'dataset.appended' : 'dataset.imported',
					summary: `${opts.appendTo ? 'Appended' : 'Imported'} ${built.frame.nRows} rows × ${built.frame.columns.length} columns from a ${s.spec.format.toUpperCase()} file${skipped ? `; ${skipped} rows with errors skipped` : ''}.`,
					datasetId
				});
				sessions.delete(importId);
				return ok({ datasetId, rows: built.frame.nRows });
			} catch (e) {
				return failure(e, 'Saving was cancelled. Nothing was saved.');
			} finally {
				finish();
			}
		},

		async importReportCsv(importId) {
			const s = sessions.get(importId);
			if (!s?.report) return noSession();
			const readPart: ValidationReport = {
				...s.report,
				...combineIssues(s.readIssues, s.report)
			};
			return ok(new Blob([reportToCsv(readPart)], { type: 'text/csv;charset=utf-8' }));
		},

		async discardImport(importId) {
			const s = sessions.get(importId);
			if (s) dropStaging(s);
			sessions.delete(importId);
		}
	};
}
