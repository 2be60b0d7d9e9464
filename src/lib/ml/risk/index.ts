export {
	chooseRiskClass,
	DEFAULT_LEVEL,
	defaultPassMark,
	defaultRiskPolicy,
	validatePolicy,
	type RiskClassChoice,
	type RiskModel,
	type RiskPolicy
} from './policy';
export { normalCdf, probabilityBelow, riskOrder, scoreRisk, type RiskScores } from './score';
export { atRiskRows, chanceText, type RiskRowsOptions, type RiskTableRow } from './rows';
