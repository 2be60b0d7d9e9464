import 'fake-indexeddb/auto';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { beginStaged, openDb, type ClasslensDB } from '$lib/db';
import {
	connectStageWriter,
	serveStageWrites,
	type StageWriteReply,
	type StageWriteRequest,
	type StageWriterPort
} from '$lib/db/staging';
import { freshDb } from './helpers';

let close = () => {};
afterEach(() => close());

/** The importer's and the writer's ends of a channel, as a Worker and its scope would have. */
function wire(open?: (name: string) => ClasslensDB) {
	const { port1, port2 } = new MessageChannel();
	const client: StageWriterPort = {
		postMessage: (msg, transfer) => port1.postMessage(msg, transfer as never),
		onmessage: null,
		onerror: null
	};
	port1.on('message', (data: StageWriteReply) =>
		client.onmessage?.({ data } as MessageEvent<StageWriteReply>)
	);
	const serve = serveStageWrites(
		{ postMessage: (reply, transfer) => port2.postMessage(reply, transfer as never) },
		open
	);
	port2.on('message', (data: StageWriteRequest) =>
		serve({ data } as MessageEvent<StageWriteRequest>)
	);
	close = () => {
		port1.close();
		port2.close();
	};
	return client;
}

describe('the write-ahead writer', () => {
	it('writes each block as its chunk and leaves the caller its arrays', async () => {
		const { db, name, close: closeDb } = freshDb();
		const port = wire((n) => openDb(n));
		const stop = close;
		close = () => {
			stop();
			closeDb();
		};
		const writer = connectStageWriter(port);
		const id = await beginStaged(db, { name: 'w.csv', chunkRows: 4 });
		for (let chunk = 0; chunk < 3; chunk++) {
			const values = Float64Array.from({ length: 4 }, (_, i) => chunk * 10 + i + 0.5);
			const codes = Uint32Array.from({ length: 4 }, (_, i) => chunk + i);
			await writer.write({ db: name, dataset: id, chunk, columns: [values, codes] });
			// Copies were sent: the caller's arrays are still whole.
			expect(values.length).toBe(4);
			expect(values[3]).toBe(chunk * 10 + 3.5);
		}
		const stored = await db.chunks.where('datasetId').equals(id).toArray();
		expect(stored).toHaveLength(6);
		const c2 = await db.chunks.get([id, 0, 2]);
		expect(Array.from(c2!.data)).toEqual([20.5, 21.5, 22.5, 23.5]);
		const k1 = await db.chunks.get([id, 1, 1]);
		expect(k1!.data).toBeInstanceOf(Uint32Array);
		expect(Array.from(k1!.data)).toEqual([1, 2, 3, 4]);
	});

	it("fails a write with the storage's own error name", async () => {
		const failing = {
			chunks: {
				bulkPut: () => {
					const e = new Error('The quota has been exceeded.');
					e.name = 'QuotaExceededError';
					return Promise.reject(e);
				}
			}
		} as unknown as ClasslensDB;
		const writer = connectStageWriter(wire(() => failing));
		const err = await writer
			.write({ db: 'x', dataset: 'd', chunk: 0, columns: [new Float64Array(2)] })
			.catch((e: unknown) => e as Error);
		expect(err).toBeInstanceOf(Error);
		expect((err as Error).name).toBe('QuotaExceededError');
	});

	it('fails what is pending when the writer itself fails, and says so', async () => {
		let dead = 0;
		const port: StageWriterPort = { postMessage: () => {}, onmessage: null, onerror: null };
		const writer = connectStageWriter(port, () => dead++);
		const pending = writer.write({ db: 'x', dataset: 'd', chunk: 0, columns: [] });
		port.onerror!(new Event('error'));
		await expect(pending).rejects.toThrow(/writer stopped/);
		expect(dead).toBe(1);
	});
});
