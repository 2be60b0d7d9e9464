/** How each column role is named to a teacher, in the order the menus list them. */
import type { ColumnRole } from '../ml/frame';

export const ROLE_ORDER: readonly ColumnRole[] = [
	'feature',
	'target',
	'id',
	'group',
	'time',
	'sensitive',
	'ignore'
];

export const ROLE_LABELS: Readonly<Record<ColumnRole, string>> = {
	feature: 'input to models',
	target: 'to predict',
	id: 'identifier',
	group: 'group (student / class)',
	time: 'time',
	sensitive: 'sensitive (kept out of models)',
	ignore: 'ignore'
};
