import { liveQuery } from 'dexie';

/**
 * A Dexie liveQuery as rune state. `deps` is read synchronously (so Svelte tracks it: a route
 * param, say) and its value is handed to `query`, which runs inside Dexie's observation. Writes
 * from the worker reach the UI too: Dexie broadcasts changes between same-origin contexts.
 * Must be created during component initialisation.
 */
export class Live<T, D = void> {
	current = $state<T | undefined>(undefined);
	error = $state<unknown>(null);
	loaded = $state(false);

	constructor(deps: () => D, query: (deps: D) => Promise<T> | T) {
		$effect(() => {
			const d = deps();
			this.loaded = false;
			const sub = liveQuery(() => query(d)).subscribe({
				next: (v) => {
					this.current = v;
					this.error = null;
					this.loaded = true;
				},
				error: (e: unknown) => {
					this.error = e;
					this.loaded = true;
				}
			});
			return () => sub.unsubscribe();
		});
	}
}
