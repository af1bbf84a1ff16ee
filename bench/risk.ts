// `npm run bench -- risk`: the declaration risk engine on the customs-kcs release (../shared/data),
// with the dataset paper's protocol: train on 2020, validate on 2021-01..03. The later months (the
// paper's test window) are not in shared/data, so the quality figures here are on the validation
// window, which early stopping also watched: nothing else was tuned on it (default parameters).
// Also: training time, scoring throughput, and the model against a hand-written rule set and a
// random pick at the same 5% budget. Then the server path (bench/risk-server.ts): import, training in
// the server's worker, and POST /api/risk/score in batches and one by one under load.
import { fileURLToPath } from 'node:url';
import {
  allocateChannels,
  applyRules,
  compileRules,
  encodeRows,
  evaluateSelection,
  explain,
  parseRiskMapping,
  predictRaw,
  riskRng,
  scoreRaw,
  trainRiskModel,
  type Declaration,
  type SelectivityRule,
} from '@cordon/engine';
import { readDeclarationsFile } from '../apps/cli/src/commands/risk.js';
import { riskServerFigures } from './risk-server.js';

interface Figure {
  suite: string;
  name: string;
  n: number;
  unit: string;
  perSecond?: number;
  value?: number;
}

const DATA = fileURLToPath(new URL('../../shared/data/customs-kcs/', import.meta.url));

/** The mapping documented in docs/risk-engine.md. */
export const KCS_MAPPING = parseRiskMapping({
  id: 'Declaration ID',
  date: 'Date',
  label: 'Fraud',
  revenue: null,
  office: 'Office ID',
  categorical: [
    'Office ID', 'Process Type', 'Import Type', 'Import Use', 'Payment Type', 'Mode of Transport', 'Declarant ID', 'Importer ID',
    'Seller ID', 'Courier ID', 'HS6 Code', 'Country of Departure', 'Country of Origin', 'Tax Type', 'Country of Origin Indicator',
  ],
  numeric: ['Tax Rate', 'Net Mass', 'Item Price'],
  dateFormat: 'yyyy-MM-dd',
});

/**
 * What an analyst might write without a model, from the training window's declarations but not
 * their outcomes: high tax rates, and origins rare in last year's declarations (< 0.5% of them).
 */
function handRules(train: Declaration[]): SelectivityRule[] {
  const originCol = KCS_MAPPING.categorical.indexOf('Country of Origin');
  const counts = new Map<string, number>();
  for (const d of train) counts.set(d.cat[originCol]!, (counts.get(d.cat[originCol]!) ?? 0) + 1);
  const common = [...counts].filter(([, c]) => c >= 0.005 * train.length).map(([o]) => o);
  return [
    { id: 'high-tax', channel: 'red', when: [{ column: 'Tax Rate', op: 'gte', value: 20 }] },
    { id: 'rare-origin', channel: 'red', when: [{ column: 'Country of Origin', op: 'notIn', value: common }] },
    { id: 'taxed-rare-origin', channel: 'red', when: [{ column: 'Tax Rate', op: 'gte', value: 8 }, { column: 'Country of Origin', op: 'notIn', value: common }] },
  ];
}

export async function riskSuite(argv: string[] = []): Promise<Figure[]> {
  const suite = 'risk/customs-kcs';
  const figures: Figure[] = [];
  const train = readDeclarationsFile(DATA + 'df_syn_train_eng.csv', KCS_MAPPING, true);
  const valid = readDeclarationsFile(DATA + 'df_syn_valid_eng.csv', KCS_MAPPING, true);
  const labels = valid.map((d) => d.label!);

  // Training: default parameters, early stopping on the validation window's log loss.
  const t0 = performance.now();
  const model = trainRiskModel(train, valid, KCS_MAPPING, { historyIncludesValidation: false });
  const trainSecs = (performance.now() - t0) / 1000;
  figures.push({ suite, name: `train (${model.bestRound} of ${model.rounds} trees)`, n: train.length, unit: 's', value: trainSecs });

  const raw = scoreRaw(model, valid);
  const ev = evaluateSelection(raw, labels, [1, 2, 5, 10]);
  for (const a of ev.at) figures.push({ suite, name: `valid precision@${a.percent}%`, n: a.k, unit: 'share', value: a.precision });
  for (const a of ev.at) figures.push({ suite, name: `valid recall@${a.percent}%`, n: a.k, unit: 'share', value: a.recall });
  figures.push({ suite, name: 'valid AUC', n: valid.length, unit: 'auc', value: ev.auc });
  figures.push({ suite, name: 'valid base rate', n: valid.length, unit: 'share', value: ev.baseRate });

  // Scoring throughput on ≥ 200,000 declarations (the validation window repeated).
  const many: Declaration[] = [];
  while (many.length < 200_000) many.push(...valid);
  const m = encodeRows(model.encoder, many);
  let t = performance.now();
  predictRaw(model.booster, m);
  figures.push({ suite, name: 'score: trees only (encoded rows)', n: many.length, unit: 'rows/s', value: many.length / ((performance.now() - t) / 1000) });
  t = performance.now();
  const manyRaw = scoreRaw(model, many);
  figures.push({ suite, name: 'score: encode + trees', n: many.length, unit: 'rows/s', value: many.length / ((performance.now() - t) / 1000) });
  t = performance.now();
  allocateChannels(manyRaw, undefined, { seed: 1 });
  figures.push({ suite, name: 'allocate channels (one batch)', n: many.length, unit: 'rows/s', value: many.length / ((performance.now() - t) / 1000) });
  t = performance.now();
  explain(model, valid);
  figures.push({ suite, name: 'score + explain (Saabas)', n: valid.length, unit: 'rows/s', value: valid.length / ((performance.now() - t) / 1000) });

  // Same 5% budget, three ways of choosing (random share off, so each is its own choice).
  const at5 = (scores: ArrayLike<number>) => evaluateSelection(scores, labels, [5]).at[0]!.precision;
  const rules = compileRules(handRules(train), KCS_MAPPING);
  const tie = riskRng(7);
  // Rules-only: the more rules a declaration hits the earlier it is inspected; ties drawn at random.
  const ruleScore = valid.map((d) => applyRules(rules, d).hits.length + 0.5 * tie());
  const rnd = riskRng(8);
  const randomScore = valid.map(() => rnd());
  figures.push({ suite, name: 'precision@5%: model', n: valid.length, unit: 'share', value: at5(raw) });
  figures.push({ suite, name: 'precision@5%: rules only', n: valid.length, unit: 'share', value: at5(ruleScore) });
  figures.push({ suite, name: 'precision@5%: random', n: valid.length, unit: 'share', value: at5(randomScore) });
  const hitByRules = valid.filter((d) => applyRules(rules, d).hits.length > 0).length;
  figures.push({ suite, name: 'declarations hit by the rules', n: valid.length, unit: 'share', value: hitByRules / valid.length });

  // The same data through the server: import, training in the worker, POST /api/risk/score (--no-server skips it).
  if (!argv.includes('--no-server')) figures.push(...(await riskServerFigures(DATA, { ...KCS_MAPPING }, argv)));
  return figures;
}
