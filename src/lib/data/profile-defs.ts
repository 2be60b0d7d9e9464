/**
 * The schema profiles of DESIGN.md as data: canonical fields, the header spellings that mean
 * them, their default role and a plausible range. Synonyms are written already normalised
 * (lower case, letters and digits only, "%" as "pct"), the form profiles.ts compares.
 */
import type { ColumnRole } from '../ml/frame';
import {
	ATTENDANCE,
	COUNT,
	GENDER,
	GPA,
	MARKS,
	PARENT_ED,
	PERCENT,
	SCORE_100,
	STUDENT_ID,
	TEN_OR_PERCENT,
	WEEK_HOURS,
	type FieldDef,
	type ProfileDef
} from './profile-fields';

export {
	ALWAYS_SENSITIVE,
	type FieldDef,
	type ProfileDef,
	type ProfileId,
	type ScaleDef
} from './profile-fields';

const id = (role: ColumnRole = 'id'): FieldDef => ({
	canonical: 'student_id',
	synonyms: STUDENT_ID,
	role
});

export const PROFILES: readonly ProfileDef[] = [
	{
		id: 'marks',
		label: 'Class marks',
		target: 'final_exam',
		fields: [
			id(),
			{ canonical: 'attendance', synonyms: ATTENDANCE, role: 'feature', scales: TEN_OR_PERCENT },
			{
				canonical: 'participation',
				synonyms: ['participation', 'classparticipation', 'participationscore'],
				role: 'feature',
				scales: TEN_OR_PERCENT
			},
			{
				canonical: 'assignment_score',
				synonyms: ['assignmentscore', 'assignment', 'assignments', 'assignmentmarks'],
				role: 'feature',
				scales: TEN_OR_PERCENT
			},
			{
				canonical: 'year_of_study',
				synonyms: ['yearofstudy', 'studyyear', 'yearlevel', 'year', 'form', 'grade'],
				role: 'feature',
				scales: [{ min: 1, max: 13, label: 'year of study (1–13)' }]
			},
			{
				canonical: 'num_subjects',
				synonyms: ['numsubjects', 'numberofsubjects', 'subjects', 'subjectcount', 'noofsubjects'],
				role: 'feature',
				scales: [{ min: 0, max: 30, label: 'number of subjects (0–30)' }]
			},
			{
				canonical: 'class_size',
				synonyms: ['classsize', 'classsizes', 'studentsinclass'],
				role: 'feature',
				scales: [{ min: 1, max: 1000, label: 'students per class (1–1000)' }]
			},
			{
				canonical: 'peer_performance',
				synonyms: ['peerperformance', 'peeraverage', 'classaverage'],
				role: 'feature',
				scales: [SCORE_100]
			},
			{
				canonical: 'cats',
				synonyms: ['cats', 'cat', 'catmarks', 'catscore'],
				role: 'feature',
				scales: [MARKS]
			},
			{
				canonical: 'rats',
				synonyms: ['rats', 'rat', 'ratmarks', 'ratscore'],
				role: 'feature',
				scales: [MARKS]
			},
			{
				canonical: 'final_exam',
				synonyms: [
					'finalexam',
					'final',
					'finalmark',
					'finalmarks',
					'finalexamscore',
					'finalexammark',
					'examscore',
					'exam',
					'finalscore',
					'total',
					'totalmarks'
				],
				role: 'target',
				scales: [MARKS]
			}
		]
	},
	{
		id: 'course-records',
		label: 'Course records (one row per student, term and subject)',
		target: 'final_marks',
		fields: [
			id('group'),
			{
				canonical: 'semester',
				synonyms: ['semester', 'term', 'sem', 'period', 'academicterm', 'session', 'academicyear'],
				role: 'time'
			},
			{
				canonical: 'subject',
				synonyms: [
					'subject',
					'course',
					'module',
					'unit',
					'coursename',
					'subjectname',
					'coursecode'
				],
				role: 'feature'
			},
			{
				canonical: 'assignment_marks',
				synonyms: [
					'assignmentmarks',
					'assignmentmark',
					'assignmentscore',
					'assignment',
					'coursework'
				],
				role: 'feature',
				scales: [MARKS]
			},
			{
				canonical: 'quiz_marks',
				synonyms: ['quizmarks', 'quizmark', 'quizscore', 'quiz', 'quizzes'],
				role: 'feature',
				scales: [MARKS]
			},
			{
				canonical: 'attendance_percentage',
				synonyms: ATTENDANCE,
				role: 'feature',
				scales: [PERCENT]
			},
			{
				canonical: 'midterm_marks',
				synonyms: ['midtermmarks', 'midterm', 'midtermscore', 'midtermexam', 'midtermmark'],
				role: 'feature',
				scales: [MARKS]
			},
			{
				canonical: 'previous_cgpa',
				synonyms: ['previouscgpa', 'cgpa', 'prevcgpa', 'previousgpa', 'priorcgpa'],
				role: 'feature',
				scales: GPA
			},
			{
				canonical: 'final_marks',
				synonyms: ['finalmarks', 'finalmark', 'final', 'finalscore', 'finalexam', 'total'],
				role: 'target',
				scales: [MARKS]
			},
			// The grade restates the target; as a feature it would leak the answer.
			{ canonical: 'final_grade', synonyms: ['finalgrade', 'grade', 'lettergrade'], role: 'ignore' }
		]
	},
	{
		id: 'wellbeing',
		label: 'Wellbeing survey',
		target: 'exam_score',
		fields: [
			id(),
			{
				canonical: 'hours_studied',
				synonyms: ['hoursstudied', 'studyhours', 'hoursofstudy', 'studytime', 'weeklystudyhours'],
				role: 'feature',
				scales: [WEEK_HOURS]
			},
			{ canonical: 'attendance', synonyms: ATTENDANCE, role: 'feature', scales: [PERCENT] },
			{
				canonical: 'parental_involvement',
				synonyms: ['parentalinvolvement', 'parentinvolvement'],
				role: 'feature'
			},
			{
				canonical: 'access_to_resources',
				synonyms: ['accesstoresources', 'resources', 'resourceaccess'],
				role: 'feature'
			},
			{
				canonical: 'extracurricular_activities',
				synonyms: ['extracurricularactivities', 'extracurricular', 'extracurriculars'],
				role: 'feature'
			},
			{
				canonical: 'sleep_hours',
				synonyms: ['sleephours', 'hoursofsleep', 'sleep', 'sleephoursperday'],
				role: 'feature',
				scales: [{ min: 0, max: 24, label: 'hours per night (0–24)' }]
			},
			{
				canonical: 'previous_scores',
				synonyms: ['previousscores', 'previousscore', 'priorscores', 'previousexamscore'],
				role: 'feature',
				scales: [SCORE_100]
			},
			{
				canonical: 'motivation_level',
				synonyms: ['motivationlevel', 'motivation'],
				role: 'feature'
			},
			{ canonical: 'internet_access', synonyms: ['internetaccess', 'internet'], role: 'feature' },
			{
				canonical: 'tutoring_sessions',
				synonyms: ['tutoringsessions', 'tutoring', 'tutorsessions'],
				role: 'feature',
				scales: [COUNT]
			},
			{
				canonical: 'family_income',
				synonyms: ['familyincome', 'income', 'householdincome'],
				role: 'sensitive'
			},
			{ canonical: 'teacher_quality', synonyms: ['teacherquality'], role: 'feature' },
			{ canonical: 'school_type', synonyms: ['schooltype', 'typeofschool'], role: 'sensitive' },
			{ canonical: 'peer_influence', synonyms: ['peerinfluence'], role: 'feature' },
			{
				canonical: 'physical_activity',
				synonyms: ['physicalactivity', 'exercise', 'exercisehours'],
				role: 'feature',
				scales: [WEEK_HOURS]
			},
			{
				canonical: 'learning_disabilities',
				synonyms: ['learningdisabilities', 'learningdisability', 'sen', 'specialneeds'],
				role: 'sensitive'
			},
			{ canonical: 'parental_education', synonyms: PARENT_ED, role: 'sensitive' },
			{
				canonical: 'distance_from_home',
				synonyms: ['distancefromhome', 'distance', 'commute'],
				role: 'feature'
			},
			{ canonical: 'gender', synonyms: GENDER, role: 'sensitive' },
			{
				canonical: 'exam_score',
				synonyms: ['examscore', 'exam', 'score', 'finalexam'],
				role: 'target',
				scales: [SCORE_100]
			}
		]
	},
	{
		id: 'demographic',
		label: 'Background and results',
		target: 'final_score',
		fields: [
			id(),
			{
				canonical: 'age',
				synonyms: ['age', 'ageyears', 'studentage'],
				role: 'sensitive',
				scales: [{ min: 3, max: 100, label: 'age in years (3–100)' }]
			},
			{ canonical: 'gender', synonyms: GENDER, role: 'sensitive' },
			{ canonical: 'parental_education', synonyms: PARENT_ED, role: 'sensitive' },
			{ canonical: 'attendance_pct', synonyms: ATTENDANCE, role: 'feature', scales: [PERCENT] },
			{
				canonical: 'weekly_study_hours',
				synonyms: [
					'weeklystudyhours',
					'studyhours',
					'hoursstudied',
					'studyhoursperweek',
					'weeklyhours'
				],
				role: 'feature',
				scales: [WEEK_HOURS]
			},
			{
				canonical: 'previous_gpa',
				synonyms: ['previousgpa', 'gpa', 'priorgpa', 'prevgpa', 'cgpa'],
				role: 'feature',
				scales: GPA
			},
			{
				canonical: 'assignment_completion',
				synonyms: [
					'assignmentcompletion',
					'assignmentcompletionrate',
					'assignmentscompleted',
					'completionrate'
				],
				role: 'feature',
				scales: [PERCENT]
			},
			{
				canonical: 'final_score',
				synonyms: [
					'finalscore',
					'final',
					'finalmark',
					'finalmarks',
					'finalgrade',
					'finalexam',
					'total',
					'examscore'
				],
				role: 'target',
				scales: [SCORE_100]
			}
		]
	},
	{
		id: 'lms-activity',
		label: 'Learning platform activity log',
		target: null,
		fields: [
			id('group'),
			{
				canonical: 'timestamp',
				synonyms: [
					'timestamp',
					'time',
					'datetime',
					'date',
					'eventtime',
					'day',
					'created',
					'createdat',
					'logtime',
					'accesstime'
				],
				role: 'time'
			},
			{
				canonical: 'activity',
				synonyms: [
					'activity',
					'activitytype',
					'event',
					'eventtype',
					'action',
					'eventname',
					'component'
				],
				role: 'feature'
			},
			{
				canonical: 'clicks',
				synonyms: ['clicks', 'sumclick', 'numclicks', 'clickcount', 'nclicks', 'noofclicks'],
				role: 'feature',
				scales: [COUNT]
			},
			{
				canonical: 'duration',
				synonyms: [
					'duration',
					'durationsec',
					'durationseconds',
					'durationmin',
					'durationminutes',
					'timespent',
					'seconds',
					'minutes'
				],
				role: 'feature',
				scales: [{ min: 0, label: 'duration (0 or more)' }]
			}
		]
	}
];
