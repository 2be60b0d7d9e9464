import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activeNav, NAV } from '$lib/nav';
import { formatBytes, formatNum, formatPct, formatSeconds } from '$lib/format';
import { readMetrics } from '$lib/ml/insights/metric-text';
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

describe('metric readings', () => {
	it('says how far off a regression model is, against the baseline', () => {
		const lines = readMetrics(
			'regression',
			'final_exam',
			{ mae: 4.23, rmse: 5.5, r2: 0.71 },
			{ mae: 10, rmse: 12 },
			48
		);
		expect(lines[0]).toBe(
			'On the 48 held-out rows the model never saw during training, the predicted final_exam was on average 4.2 off (typical error 5.5).'
		);
		expect(lines[1]).toContain('58% smaller than guessing the class average');
		expect(lines[2]).toContain('about 71%');
	});
	it('warns when a model is no better than the baseline', () => {
		const reg = readMetrics('regression', 'y', { mae: 9.9, rmse: 12, r2: 0.01 }, { mae: 10 }, 10);
		expect(reg[1]).toContain('no better than guessing');
		const cls = readMetrics(
			'binary',
			'pass',
			{ accuracy: 0.8, f1_weighted: 0.7 },
			{ accuracy: 0.79 },
			10
		);
		expect(cls[1]).toContain('would do as well');
	});
	it('never prints an unrounded float or undefined', () => {
		fc.assert(
			fc.property(
				fc.double({ min: 0, max: 100, noNaN: true }),
				fc.double({ min: 0, max: 100, noNaN: true }),
				fc.double({ min: -1, max: 1, noNaN: true }),
				(mae, base, r2) => {
					const text = readMetrics(
						'regression',
						't',
						{ mae, rmse: mae, r2 },
						{ mae: base },
						5
					).join(' ');
					return !/\d\.\d{3,}/.test(text) && !text.includes('undefined') && !text.includes('NaN');
				}
			)
		);
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
