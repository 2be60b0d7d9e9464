export { mae, mse, r2, rmse } from './regression';
export {
	accuracy,
	balancedAccuracy,
	confusionMatrix,
	f1Weighted,
	logLoss,
	predictedClasses
} from './classification';
