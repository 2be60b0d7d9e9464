/** The pages of Classlens, in navigation order. `ready` is false where the capability lands later. */
export interface NavItem {
	href: string;
	label: string;
	description: string;
}

export const NAV: NavItem[] = [
	{ href: '/', label: 'Datasets', description: 'Your classes on this device, and the demo class' },
	{ href: '/import', label: 'Import', description: 'Load a CSV or Excel file' },
	{ href: '/models', label: 'Models', description: 'Trained models, versions and rollback' },
	{ href: '/predict', label: 'Predict', description: 'What-if predictions and at-risk lists' },
	{ href: '/personas', label: 'Personas', description: 'Kinds of students in a cohort' },
	{ href: '/activity', label: 'Activity', description: 'LMS engagement analytics' },
	{
		href: '/monitor',
		label: 'Monitor',
		description: 'Drift, outcomes, fairness and the audit log'
	},
	{ href: '/settings', label: 'Settings', description: 'Compute, privacy, storage and backup' }
];

/** Which nav item a path belongs to (the longest matching prefix; "/" only for itself and datasets). */
export function activeNav(pathname: string, base: string): string {
	const path = pathname.startsWith(base) ? pathname.slice(base.length) || '/' : pathname;
	if (path === '/' || path.startsWith('/datasets')) return '/';
	const hit = NAV.filter((n) => n.href !== '/' && path.startsWith(n.href)).sort(
		(a, b) => b.href.length - a.href.length
	)[0];
	return hit ? hit.href : '';
}
