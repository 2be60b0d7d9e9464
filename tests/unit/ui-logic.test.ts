import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activeNav, NAV } from '$lib/nav';
import { formatBytes, formatNum, formatPct, formatSeconds } from '$lib/format';
import { cspHeader, cspDirectives } from '../../csp.config.js';

describe('activeNav', () => {
	it('maps dataset pages to Datasets and nested pages to their section', () => {
		expect(activeNav('/', '')).toBe('/');
		expect(activeNav('/datasets/abc/train', '')).toBe('/');
		expect(activeNav('/settings', '')).toBe('/settings');
		expect(activeNav('/students/S1', '')).toBe('');
	});
	it('strips the base path', () => {
		expect(activeNav('/classlens', '/classlens')).toBe('/');
		expect(activeNav('/classlens/models', '/classlens')).toBe('/models');
	});
	it('every nav entry is active on its own page', () => {
		for (const n of NAV)
			expect(activeNav(`/base${n.href === '/' ? '' : n.href}`, '/base')).toBe(n.href);
	});
});

describe('formatting', () => {
	it('formats bytes with binary units', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
		expect(formatBytes(-1)).toBe('—');
	});
	it('never prints float noise', () => {
		fc.assert(
			fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
				const s = formatNum(x, 2);
				const decimals = s.split('.')[1] ?? '';
				return decimals.length <= 2;
			})
		);
		expect(formatNum(0.1 + 0.2)).toBe('0.3');
		expect(formatNum(NaN)).toBe('—');
		expect(formatNum(null)).toBe('—');
	});
	it('formats percentages and durations', () => {
		expect(formatPct(0.256)).toBe('26%');
		expect(formatPct(0.256, 1)).toBe('25.6%');
		expect(formatSeconds(0.0123)).toBe('12 ms');
		expect(formatSeconds(75)).toBe('1 min 15 s');
	});
});

describe('content security policy', () => {
	it('allows only this origin and WebAssembly compilation', () => {
		const h = cspHeader();
		expect(h).toContain("default-src 'self'");
		expect(h).toContain("script-src 'self' 'wasm-unsafe-eval'");
		expect(h).toContain("object-src 'none'");
		expect(h).not.toContain("'unsafe-eval'");
		for (const values of Object.values(cspDirectives)) {
			for (const v of values) expect(v).not.toMatch(/^https?:|\*/);
		}
	});
});
