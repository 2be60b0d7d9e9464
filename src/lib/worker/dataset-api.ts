/**
 * Reading a stored dataset for the dataset page: windows of rows for the virtualised table,
 * column profiles, and CSV export. These run in the worker because a million-row dataset's
 * chunks and dictionaries are megabytes to deserialise; the page receives only the few hundred
 * cells on screen, or one finished Blob.
 */
import { frameToCsvChunks, type CsvWriteOptions } from '../data/csv-write';
import type { SaveDatasetMeta } from '../db';
import { fail, ok, toAppError, type Result } from '../errors';
import { cellAt, type Cell, type ColumnRole, type Frame } from '../ml/frame';
import { aggregateByGroup } from '../ml/stats/aggregate';
import { profileColumn, type ColumnProfile } from '../ml/stats/profile';

export interface RowWindow {
	start: number;
	columns: string[];
	/** rows[i][j] = cell of row start + i, column j; numbers, text, or null when missing. */
	rows: Cell[][];
	/** The dataset's updatedAt when read, so the page can tell a stale window. */
	version: number;
}

export interface DatasetApi {
	readRows(datasetId: string, start: number, end: number): Promise<Result<RowWindow>>;
	profileDataset(datasetId: string): Promise<Result<ColumnProfile[]>>;
	/**
	 * For long-format data: a new dataset with one row per student (means, latest target,
	 * most common categories), saved beside the original.
	 */
	deriveStudentView(datasetId: string): Promise<Result<{ datasetId: string; rows: number }>>;
	exportCsv(
		datasetId: string,
		opts: Pick<CsvWriteOptions, 'neutraliseFormulas' | 'delimiter' | 'bom'>
	): Promise<Result<{ blob: Blob; fileName: string; rows: number }>>;
}

export interface DatasetReadPort {
	getDataset(id: string): Promise<
		| {
				id: string;
				name: string;
				nRows: number;
				updatedAt: number;
				profile?: string | null;
				target: string | null;
				columns: { name: string; role: ColumnRole; type: string }[];
		  }
		| undefined
	>;
	loadFrame(id: string, opts?: { columns?: string[]; rows?: [number, number] }): Promise<Frame>;
	saveFrameAsDataset(frame: Frame, meta: SaveDatasetMeta): Promise<{ id: string; name: string }>;
}

/** Most rows one window may ask for: a screen or two, never the dataset. */
export const MAX_WINDOW_ROWS = 2000;
/** Rows loaded per block; a window inside a cached block costs no storage read at all. */
const BLOCK_ROWS = 1024;
const BLOCKS_KEPT = 24;

function notFound<T>(id: string): Result<T> {
	return fail('dataset-not-found', 'This dataset is no longer on this device.', { datasetId: id });
}

/** A file name from the dataset's name: letters, digits, dashes; never empty. */
export function csvFileName(name: string): string {
	const base = name
		.normalize('NFKD')
		.replace(/[^\w\s-]/g, '')
		.trim()
		.replace(/\s+/g, '-')
		.slice(0, 60);
	return `${base || 'dataset'}.csv`;
}

export function createDatasetApi(port: DatasetReadPort): DatasetApi {
	// LRU of row blocks keyed by dataset, version and block index. A version change (an edit)
	// simply makes old keys unreachable; they age out.
	const blocks = new Map<string, Frame>();
	const profiles = new Map<string, ColumnProfile[]>();

	async function block(id: string, version: number, b: number, nRows: number): Promise<Frame> {
		const key = `${id}:${version}:${b}`;
		const hit = blocks.get(key);
		if (hit) {
			blocks.delete(key);
			blocks.set(key, hit);
			return hit;
		}
		const frame = await port.loadFrame(id, {
			rows: [b * BLOCK_ROWS, Math.min(nRows, (b + 1) * BLOCK_ROWS)]
		});
		blocks.set(key, frame);
		while (blocks.size > BLOCKS_KEPT) blocks.delete(blocks.keys().next().value as string);
		return frame;
	}

	return {
		async readRows(datasetId, start, end) {
			try {
				const d = await port.getDataset(datasetId);
				if (!d) return notFound(datasetId);
				const s = Math.max(0, Math.min(Math.floor(start), d.nRows));
				const e = Math.max(s, Math.min(Math.ceil(end), d.nRows, s + MAX_WINDOW_ROWS));
				const rows: Cell[][] = [];
				let columns: string[] = [];
				for (let b = Math.floor(s / BLOCK_ROWS); b * BLOCK_ROWS < e; b++) {
					const f = await block(datasetId, d.updatedAt, b, d.nRows);
					columns = f.columns.map((c) => c.name);
					const from = Math.max(s, b * BLOCK_ROWS) - b * BLOCK_ROWS;
					const to = Math.min(e, (b + 1) * BLOCK_ROWS) - b * BLOCK_ROWS;
					for (let r = from; r < to; r++) rows.push(f.columns.map((c) => cellAt(c, r)));
				}
				return ok({ start: s, columns, rows, version: d.updatedAt });
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		},

		async profileDataset(datasetId) {
			try {
				const d = await port.getDataset(datasetId);
				if (!d) return notFound(datasetId);
				const key = `${datasetId}:${d.updatedAt}`;
				const cached = profiles.get(key);
				if (cached) return ok(cached);
				const frame = await port.loadFrame(datasetId);
				const out = frame.columns.map((c) => profileColumn(c));
				profiles.clear();
				profiles.set(key, out);
				return ok(out);
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		},

		async deriveStudentView(datasetId) {
			try {
				const d = await port.getDataset(datasetId);
				if (!d) return notFound(datasetId);
				const group =
					d.columns.find((c) => c.role === 'group') ?? d.columns.find((c) => c.role === 'id');
				if (!group) {
					return fail(
						'no-student-column',
						'Mark the column that identifies students as “group (student / class)” first.'
					);
				}
				const time = d.columns.find((c) => c.role === 'time');
				const frame = await port.loadFrame(datasetId);
				const ignored = d.columns
					.filter((c) => c.role === 'ignore' || c.role === 'id')
					.map((c) => c.name);
				// Subject-like categories say little once averaged over a student's rows.
				const subject = d.columns
					.filter((c) => /^(subject|course|module|unit)/i.test(c.name))
					.map((c) => c.name);
				const { frame: agg } = aggregateByGroup(frame, {
					groupBy: group.name,
					timeColumn: time?.name,
					latestOf: d.target ? [d.target] : [],
					exclude: [...ignored, ...subject].filter((n) => n !== group.name)
				});
				if (agg.nRows === frame.nRows) {
					return fail(
						'not-long-format',
						`Every student already has one row (by “${group.name}”): there is nothing to combine.`
					);
				}
				const target = d.target ? `${d.target}_latest` : null;
				const roles: Record<string, ColumnRole> = { [group.name]: 'id', n_rows: 'feature' };
				for (const c of agg.columns) {
					if (c.name === target) roles[c.name] = 'target';
					// The target's mean over the same rows leaks it: keep it out of models by default.
					else if (d.target && c.name === `${d.target}_mean`) roles[c.name] = 'ignore';
				}
				const saved = await port.saveFrameAsDataset(agg, {
					name: `${d.name} — one row per student`,
					description: `Made from “${d.name}”: each student's rows combined (averages, latest ${d.target ?? 'values'}, most common categories).`,
					profile: d.profile ?? null,
					source: 'derived',
					roles,
					target
				});
				return ok({ datasetId: saved.id, rows: agg.nRows });
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		},

		async exportCsv(datasetId, opts) {
			try {
				const d = await port.getDataset(datasetId);
				if (!d) return notFound(datasetId);
				const frame = await port.loadFrame(datasetId);
				// Blob parts are strings of a few MB each: never one giant string in memory.
				const parts: string[] = [];
				for (const chunk of frameToCsvChunks(frame, { ...opts, newline: '\r\n' })) {
					parts.push(chunk);
				}
				const blob = new Blob(parts, { type: 'text/csv;charset=utf-8' });
				return ok({ blob, fileName: csvFileName(d.name), rows: frame.nRows });
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		}
	};
}
