/**
 * Building blocks shared by several profiles: the scales values are checked against and the
 * header spellings (already normalised, see normaliseName) that several profiles accept.
 */
import type { ColumnRole } from '../ml/frame';

export type ProfileId = 'marks' | 'course-records' | 'wellbeing' | 'demographic' | 'lms-activity';

/**
 * One way a column can be scaled. Several scales let the data decide (GPA out of 4 or 10,
 * attendance as 0–10 or as a percentage): the first whose `upTo` covers the sample's largest
 * value wins.
 */
export interface ScaleDef {
	min?: number;
	max?: number;
	label: string;
	upTo?: number;
}

export interface FieldDef {
	canonical: string;
	synonyms: readonly string[];
	role: ColumnRole;
	scales?: readonly ScaleDef[];
}

export interface ProfileDef {
	id: ProfileId;
	label: string;
	/** The canonical field to predict, or null (activity logs have no natural target). */
	target: string | null;
	fields: readonly FieldDef[];
}

export const PERCENT: ScaleDef = { min: 0, max: 100, label: 'percent (0–100)' };
export const SCORE_100: ScaleDef = { min: 0, max: 100, label: 'score out of 100' };
export const MARKS: ScaleDef = { min: 0, label: 'marks (0 or more)' };
export const COUNT: ScaleDef = { min: 0, label: 'count (0 or more)' };
export const WEEK_HOURS: ScaleDef = { min: 0, max: 168, label: 'hours per week (0–168)' };
export const GPA: readonly ScaleDef[] = [
	{ min: 0, max: 4, label: 'grade point average (0–4)', upTo: 4.5 },
	{ min: 0, max: 10, label: 'grade point average (0–10)' }
];
/** The marks demo records attendance, participation and assignments out of 10. */
export const TEN_OR_PERCENT: readonly ScaleDef[] = [
	{ min: 0, max: 10, label: 'score out of 10', upTo: 10 },
	PERCENT
];

export const STUDENT_ID = [
	'studentid',
	'id',
	'sid',
	'studentno',
	'studentnumber',
	'studentcode',
	'matric',
	'matricno',
	'matricnumber',
	'matriculationnumber',
	'learnerid',
	'userid',
	'pupilid',
	'rollno',
	'rollnumber',
	'admissionno',
	'admissionnumber',
	'registrationnumber',
	'regno',
	'idstudent',
	'candidatenumber',
	'enrolmentnumber',
	'enrollmentnumber'
];
export const ATTENDANCE = [
	'attendance',
	'attendancepct',
	'attendancepercentage',
	'attendancepercent',
	'attendancerate',
	'pctattendance',
	'percentattendance',
	'attendancescore'
];
export const GENDER = ['gender', 'sex', 'genderidentity'];
export const PARENT_ED = [
	'parentaleducation',
	'parentaleducationlevel',
	'parenteducation',
	'parentslevelofeducation',
	'parentallevelofeducation',
	'parentseducation',
	'parenteducationlevel'
];

/** Fields that are sensitive wherever they appear, even in a file that matches no profile. */
export const ALWAYS_SENSITIVE = new Set([
	...GENDER,
	...PARENT_ED,
	'age',
	'ethnicity',
	'race',
	'religion',
	'familyincome',
	'income',
	'householdincome',
	'disability',
	'learningdisabilities',
	'schooltype',
	'freeschoolmeals',
	'fsm',
	'nationality'
]);
