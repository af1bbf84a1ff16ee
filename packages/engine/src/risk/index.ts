export { parseRiskMapping, readDeclarations, dateParser, parseNumberCell, RiskInputError, type RiskMapping, type Declaration, type RiskIssue, type ReadOptions } from './mapping.js';
export { trainGbdt, predictRaw, contributions, quantileEdges, binOf, boosterToJson, boosterFromJson, DEFAULT_GBDT_PARAMS, type GbdtParams, type Booster, type Matrix, type TrainLog } from './gbdt.js';
export { fitEncoder, encodeRows, extendHistory, featureNames, type FeatureEncoder } from './encode.js';
export { trainRiskModel, scoreRaw, explain, topReasons, probability, saveModel, loadModel, checkMappingFits, DEFAULT_RISK_PARAMS, type RiskModel, type RiskTrainParams, type Reason, type Explained, type WindowInfo } from './model.js';
export { evaluateSelection, auc, rankByScore, inspectedCount, type Evaluation, type AtRate } from './metrics.js';
export { allocateChannels, type Allocation, type AllocationOptions, type ChannelReason } from './allocate.js';
export { compileRules, applyRules, CHANNEL_RANK, type Channel, type Condition, type SelectivityRule, type CompiledRule, type RuleHits } from './rules.js';
export { riskRng } from './prng.js';
export { scoreReference, driftAgainst, type ScoreReference, type Drift } from './drift.js';
