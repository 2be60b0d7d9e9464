/**
 * Column names from a file are user input: they may be empty, repeated, absurdly long, or
 * names like `__proto__` that break code using plain objects as maps. Every reader passes its
 * header through here so the rest of Classlens sees unique, non-empty, safe names, while
 * messages can still quote the original.
 */
import type { DataIssue } from './types';

/** Names that are dangerous as object keys anywhere downstream. */
const HOSTILE = new Set(['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring']);
const MAX_NAME = 120;

export interface SafeHeader {
	/** Unique, non-empty, safe names, in file order. */
	names: string[];
	/** What was changed and why, one issue per renamed column. */
	issues: DataIssue[];
}

// Control characters (tabs, NULs, stray CRs) become spaces; they are never meant as part of a name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Normalises a header cell: trims, collapses whitespace, drops control characters. */
function clean(raw: string): string {
	return raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

export function makeSafeHeader(raw: readonly string[], file: string): SafeHeader {
	const names: string[] = [];
	const issues: DataIssue[] = [];
	const taken = new Set<string>();
	raw.forEach((original, i) => {
		let name = clean(original);
		let reason: string | null = null;
		if (name.length > MAX_NAME) {
			name = name.slice(0, MAX_NAME);
			reason = `was longer than ${MAX_NAME} characters`;
		}
		if (name === '') {
			name = `column_${i + 1}`;
			reason = 'had no name';
		} else if (HOSTILE.has(name.toLowerCase())) {
			name = `${name}_col`;
			reason = 'is a name reserved by JavaScript';
		}
		if (taken.has(name.toLowerCase())) {
			let k = 2;
			while (taken.has(`${name}_${k}`.toLowerCase())) k++;
			name = `${name}_${k}`;
			reason = reason ?? 'repeats an earlier column name';
		}
		taken.add(name.toLowerCase());
		names.push(name);
		if (reason) {
			issues.push({
				code: 'header-renamed',
				severity: 'warning',
				message: `${file}: column ${i + 1} ${reason}; it is called “${name}” in Classlens.`,
				where: { file, row: 1, column: original, columnIndex: i },
				value: original.slice(0, 80)
			});
		}
	});
	return { names, issues };
}
