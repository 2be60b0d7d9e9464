import type { ColumnRole, Frame } from '../frame';

export type DemoProfile = 'marks' | 'course-records' | 'wellbeing' | 'demographic' | 'lms-activity';

export interface DemoDataset {
	profile: DemoProfile;
	/** e.g. "Demo class — marks (240 students)". */
	name: string;
	/** One or two plain sentences for a teacher. */
	description: string;
	frame: Frame;
	/** Suggested role per column name; the user can change any of them. */
	roles: Record<string, ColumnRole>;
	/** The natural prediction target, or null where there is none (activity logs). */
	target: string | null;
}
