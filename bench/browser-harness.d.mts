import type { Page } from '@playwright/test';

export declare function withBrowserWorker<T>(
	opts: {
		entry: string;
		name: string;
		files?: Map<string, [Buffer, string]>;
		isolated?: boolean;
		log?: (msg: string) => void;
	},
	body: (h: {
		page: Page;
		version: string;
		runWorker: <R = unknown>(message: unknown, timeoutMs: number) => Promise<R>;
	}) => Promise<T>
): Promise<T>;
