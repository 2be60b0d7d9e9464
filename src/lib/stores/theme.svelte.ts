/**
 * Light / dark / system theme. The choice is kept in localStorage (on this device only) rather
 * than IndexedDB so it can be applied synchronously at start-up, before the first paint settles.
 */
export type Theme = 'system' | 'light' | 'dark';
const KEY = 'classlens.theme';

function read(): Theme {
	try {
		const v = globalThis.localStorage?.getItem(KEY);
		return v === 'light' || v === 'dark' ? v : 'system';
	} catch {
		return 'system';
	}
}

class ThemeState {
	current = $state<Theme>(read());

	set(theme: Theme): void {
		this.current = theme;
		try {
			globalThis.localStorage?.setItem(KEY, theme);
		} catch {
			// Private mode or storage disabled: the theme simply is not remembered.
		}
		this.apply();
	}

	apply(): void {
		const root = globalThis.document?.documentElement;
		if (!root) return;
		if (this.current === 'system') delete root.dataset.theme;
		else root.dataset.theme = this.current;
	}
}

export const theme = new ThemeState();
