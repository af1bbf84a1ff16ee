#!/usr/bin/env python3
"""Side-by-side reference for `npm run bench -- risk`: XGBoost with the LightGBM recipe the issue names
(histogram, leaf-wise growth, 63 leaves, up to 500 rounds, learning rate 0.1 = LightGBM's default) on the
same CSVs, the same mapping and the same protocols as bench/risk.ts, so "ours vs a well-known GBDT" is
measured in the same run on the same rows.

Never a test or CI dependency: bench/risk.ts calls this only when `python3 -c 'import xgboost'` works
(Debian's python3-xgboost 1.7.4 + numpy; no pandas) and prints "reference skipped" otherwise.

Categorical columns, two ways (both reported):
  - "ts": the engine's time-ordered target statistics (packages/engine/src/risk/encode.ts, same formula:
    per column the outcome rate of the category over earlier days, shrunk to the base rate with weight 1,
    and the count seen before; same-day rows do not see each other), plus the engine's derived
    features when --derived is given (unit price and pairs of columns, see deriveColumns below);
  - "native": XGBoost's own categorical splits on integer codes (unseen categories = missing).

Protocols (dates from the mapping's date column, yyyy-MM-dd):
  A  train = train CSV before --valid-from, validation (early stopping, patience 50) = the rest of the
     train CSV, test = the test CSV; the test window's figures are read once, never used to choose.
     For "ts" the test rows see the history of train + validation (known outcomes when scoring).
  B  "trained on both windows": train = the whole train CSV, 500 rounds (no early stopping), test CSV.

Prints one JSON object: {"version": ..., "results": [{"protocol", "categorical", "trees", "seconds",
"test": {"at": [{"percent", "k", "precision", "recall"}], "auc", "baseRate"}}]}.
"""
import argparse
import csv
import json
import math
import sys
import time

import numpy as np
import xgboost as xgb

RATES = [1, 2, 5, 10]


def read_rows(path, mapping):
    with open(path, newline='', encoding='utf-8') as fh:
        reader = csv.DictReader(fh)
        rows = []
        for r in reader:
            rows.append({
                'date': r[mapping['date']],
                'cat': [r[c] for c in mapping['categorical']],
                'num': [float(r[c]) if r[c] != '' else math.nan for c in mapping['numeric']],
                'label': 0 if float(r[mapping['label']]) == 0 else 1,
            })
    return rows


def derive(rows, mapping, pairs, ratios):
    """Adds the engine's derived columns: categorical pairs 'a|b' and numeric ratios a/b (0 or missing b = missing)."""
    cats, nums = mapping['categorical'], mapping['numeric']
    for r in rows:
        r['cat'] = r['cat'] + [r['cat'][cats.index(a)] + '\u0001' + r['cat'][cats.index(b)] for a, b in pairs]
        extra = []
        for a, b in ratios:
            x, y = r['num'][nums.index(a)], r['num'][nums.index(b)]
            extra.append(x / y if y and not math.isnan(y) and not math.isnan(x) else math.nan)
        r['num'] = r['num'] + extra


def order_by_time(rows):
    return sorted(range(len(rows)), key=lambda i: rows[i]['date'])  # stable: ties keep file order


def ts_fit(rows, n_cat, weight=1.0):
    """Time-ordered target statistics of the training rows; returns (matrix, tables, prior)."""
    prior = sum(r['label'] for r in rows) / max(1, len(rows))
    tables = [dict() for _ in range(n_cat)]
    n_num = len(rows[0]['num']) if rows else 0
    x = np.empty((len(rows), 2 * n_cat + n_num))
    order = order_by_time(rows)
    s = 0
    while s < len(order):
        e = s
        while e < len(order) and rows[order[e]]['date'] == rows[order[s]]['date']:
            e += 1
        for k in range(s, e):
            x[order[k]] = ts_row(rows[order[k]], tables, prior, weight)
        for k in range(s, e):
            ts_learn(tables, rows[order[k]])
        s = e
    return x, tables, prior


def ts_learn(tables, r):
    for c, t in enumerate(tables):
        cur = t.get(r['cat'][c])
        if cur is None:
            t[r['cat'][c]] = [1, r['label']]
        else:
            cur[0] += 1
            cur[1] += r['label']


def ts_row(r, tables, prior, weight):
    out = []
    for c, t in enumerate(tables):
        n, p = t.get(r['cat'][c], (0, 0))
        out += [(p + prior * weight) / (n + weight), n]
    return out + r['num']


def ts_encode(rows, tables, prior, weight=1.0):
    return np.array([ts_row(r, tables, prior, weight) for r in rows], dtype=float).reshape(len(rows), -1)


def native_matrices(train, others, n_cat):
    """Integer codes per categorical column from the training rows (unseen = missing), numbers as they are."""
    codes = [dict() for _ in range(n_cat)]
    for r in train:
        for c in range(n_cat):
            codes[c].setdefault(r['cat'][c], len(codes[c]))

    def enc(rows):
        return np.array([[codes[c].get(r['cat'][c], math.nan) for c in range(n_cat)] + r['num'] for r in rows], dtype=float)

    return enc(train), [enc(o) for o in others]


def evaluate(scores, labels):
    n = len(scores)
    order = sorted(range(n), key=lambda i: -scores[i])  # ties keep input order, as the engine's metrics
    total = int(sum(labels))
    at = []
    for pct in RATES:
        k = max(1, int(math.floor(pct / 100 * n)))
        found = int(sum(labels[i] for i in order[:k]))
        at.append({'percent': pct, 'k': k, 'precision': found / k, 'recall': found / total if total else 0})
    return {'at': at, 'auc': auc(scores, labels), 'baseRate': total / n if n else 0}


def auc(scores, labels):
    """Mann-Whitney with ties as half."""
    pairs = sorted(zip(scores, labels))
    rank_sum, i, n = 0.0, 0, len(pairs)
    while i < n:
        j = i
        while j < n and pairs[j][0] == pairs[i][0]:
            j += 1
        mid = (i + 1 + j) / 2  # average 1-based rank of the tie group
        rank_sum += mid * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    pos = sum(labels)
    neg = n - pos
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg) if pos and neg else 0.5


def params(seed):
    return {
        'objective': 'binary:logistic', 'eval_metric': 'logloss', 'tree_method': 'hist', 'grow_policy': 'lossguide',
        'max_leaves': 63, 'max_depth': 0, 'eta': 0.1, 'max_bin': 255, 'min_child_weight': 1e-3, 'seed': seed,
        'nthread': 2, 'verbosity': 0,
    }


def dmatrix(x, y, types):
    return xgb.DMatrix(x, label=y, feature_types=types, enable_categorical='c' in types, missing=math.nan)


def run(kind, protocol, fit_rows, valid_rows, test_rows, n_cat, seed):
    t0 = time.time()
    y_fit = np.array([r['label'] for r in fit_rows])
    if kind == 'ts':
        x_fit, tables, prior = ts_fit(fit_rows, n_cat)
        x_valid = ts_encode(valid_rows, tables, prior) if valid_rows else None
        for r in valid_rows or []:
            ts_learn(tables, r)  # the test window is scored with every known outcome before it
        x_test = ts_encode(test_rows, tables, prior)
        types = ['q'] * x_fit.shape[1]
    else:
        x_fit, (x_valid, x_test) = native_matrices(fit_rows, [valid_rows or [], test_rows], n_cat)
        types = ['c'] * n_cat + ['q'] * (x_fit.shape[1] - n_cat)
    dfit = dmatrix(x_fit, y_fit, types)
    if valid_rows:
        dvalid = dmatrix(x_valid, np.array([r['label'] for r in valid_rows]), types)
        booster = xgb.train(params(seed), dfit, 500, evals=[(dvalid, 'valid')], early_stopping_rounds=50, verbose_eval=False)
        trees = booster.best_iteration + 1
    else:
        booster = xgb.train(params(seed), dfit, 500)
        trees = 500
    scores = booster.predict(dmatrix(x_test, None, types), iteration_range=(0, trees)).tolist()
    return {
        'protocol': protocol, 'categorical': kind, 'trees': trees, 'seconds': time.time() - t0,
        'test': evaluate(scores, [r['label'] for r in test_rows]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', required=True)
    ap.add_argument('--test', required=True)
    ap.add_argument('--mapping', required=True, help='the engine mapping as JSON (id, date, label, categorical, numeric)')
    ap.add_argument('--valid-from', required=True, help='yyyy-MM-dd: protocol A validates on train rows from this day')
    ap.add_argument('--derived', default='{"pairs": [], "ratios": []}', help='JSON {"pairs": [[a, b]], "ratios": [[a, b]]}')
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    mapping = json.loads(a.mapping)
    derived = json.loads(a.derived)
    train = read_rows(a.train, mapping)
    test = read_rows(a.test, mapping)
    base_cat = len(mapping['categorical'])
    out = []
    for kind in ['ts', 'native']:
        tr, te = [dict(r) for r in train], [dict(r) for r in test]
        pairs = derived['pairs'] if kind == 'ts' else []  # native splits see the raw columns, plus the ratios
        derive(tr, mapping, pairs, derived['ratios'])
        derive(te, mapping, pairs, derived['ratios'])
        n_cat = base_cat + len(pairs)
        fit = [r for r in tr if r['date'] < a.valid_from]
        valid = [r for r in tr if r['date'] >= a.valid_from]
        for protocol, rows, v in [('A', fit, valid), ('B', tr, None)]:
            out.append(run(kind, protocol, rows, v, te, n_cat, a.seed))
            r = out[-1]
            print(f"reference {protocol} {kind}: {r['trees']} trees, {r['seconds']:.0f} s, test precision@5% {r['test']['at'][2]['precision']:.3f}", file=sys.stderr, flush=True)
    print(json.dumps({'version': xgb.__version__, 'results': out}))


if __name__ == '__main__':
    main()
