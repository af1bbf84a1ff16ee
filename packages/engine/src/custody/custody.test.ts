import { describe, expect, it } from 'vitest';
import {
  allowedCustodyEvents, applyCustodyEvent, checkCustodyEvent, replayCustody, type CustodyEventInput, type CustodyPosition,
} from './lifecycle.js';
import { DEFAULT_HANDLING_RULES, handlingDeadline, isCustodyOverdue, parseHandlingRules } from './deadlines.js';

const NOW = '2026-11-23T03:00:00.000Z';
const held: CustodyPosition = { state: 'held', holderUnitId: 'unit-a', warehouseId: 'wh-1', shelf: 'A-01' };
const ev = (e: Partial<CustodyEventInput> & Pick<CustodyEventInput, 'kind'>): CustodyEventInput => ({ at: '2026-11-20T01:00:00.000Z', ...e });
const check = (pos: CustodyPosition, e: CustodyEventInput, lastAt: string | null = '2026-11-01T00:00:00.000Z') => checkCustodyEvent(pos, e, { lastAt, now: NOW });

describe('custody lifecycle', () => {
  it('starts with receiving: a seized item can only be received', () => {
    expect(allowedCustodyEvents('seized')).toEqual(['received']);
    expect(check({ ...held, state: 'seized' }, ev({ kind: 'stored', warehouseId: 'wh-1' }))[0]).toMatchObject({ field: 'kind', reason: 'invalid_transition' });
    expect(check({ ...held, state: 'seized' }, ev({ kind: 'received' }), null)).toEqual([]);
  });

  it('allows nothing after destruction, auction or release', () => {
    for (const state of ['destroyed', 'auctioned', 'released'] as const) {
      expect(allowedCustodyEvents(state)).toEqual([]);
      const p = check({ ...held, state }, ev({ kind: 'received' }));
      expect(p).toHaveLength(1);
      expect(p[0]!.message).toMatch(/final/);
    }
  });

  it('transfers only an item in hand, to another unit, with its record number', () => {
    expect(check({ ...held, state: 'in_transit' }, ev({ kind: 'transferred', toUnitId: 'unit-b', documentNo: 'BB-1' }))[0]!.reason).toBe('invalid_transition');
    expect(check({ ...held, state: 'at_testing' }, ev({ kind: 'transferred', toUnitId: 'unit-b', documentNo: 'BB-1' }))[0]!.reason).toBe('invalid_transition');
    expect(check(held, ev({ kind: 'transferred', toUnitId: 'unit-a', documentNo: 'BB-1' }))).toEqual([expect.objectContaining({ field: 'toUnitId', reason: 'invalid_value' })]);
    expect(check(held, ev({ kind: 'transferred' })).map((p) => p.field).sort()).toEqual(['documentNo', 'toUnitId']);
    expect(check(held, ev({ kind: 'transferred', toUnitId: 'unit-b', documentNo: 'BB-1' }))).toEqual([]);
  });

  it('hands a transferred item to the receiving unit, which then receives it', () => {
    const moving = applyCustodyEvent(held, ev({ kind: 'transferred', toUnitId: 'unit-b', documentNo: 'BB-1' }));
    expect(moving).toEqual({ state: 'in_transit', holderUnitId: 'unit-b', warehouseId: null, shelf: null });
    expect(allowedCustodyEvents('in_transit')).toEqual(['received']);
    expect(applyCustodyEvent(moving, ev({ kind: 'received' }))).toMatchObject({ state: 'held', holderUnitId: 'unit-b' });
  });

  it('needs the approving decision for every disposal, and the value for an auction', () => {
    for (const kind of ['destroyed', 'released'] as const) {
      expect(check(held, ev({ kind, documentNo: 'BB-9' }))).toEqual([expect.objectContaining({ field: 'decisionNo', reason: 'required' })]);
      expect(check(held, ev({ kind, documentNo: 'BB-9', decisionNo: 'QĐ 12/QĐ-XPHC' }))).toEqual([]);
    }
    expect(check(held, ev({ kind: 'auctioned', documentNo: 'BB-9', decisionNo: 'QĐ 1' })).map((p) => p.field)).toEqual(['auctionValueVnd']);
    expect(check(held, ev({ kind: 'auctioned', documentNo: 'BB-9', decisionNo: 'QĐ 1', auctionValueVnd: -5 }))[0]!.reason).toBe('invalid_value');
    expect(check(held, ev({ kind: 'auctioned', documentNo: 'BB-9', decisionNo: 'QĐ 1', auctionValueVnd: 1.5 }))[0]!.reason).toBe('invalid_value');
    expect(check(held, ev({ kind: 'auctioned', documentNo: 'BB-9', decisionNo: 'QĐ 1', auctionValueVnd: 120_000_000 }))).toEqual([]);
    expect(check(held, ev({ kind: 'stored', warehouseId: 'wh-2', auctionValueVnd: 5 }))[0]).toMatchObject({ field: 'auctionValueVnd', reason: 'invalid_value' });
  });

  it('stores in a named warehouse and keeps the location until the item leaves', () => {
    expect(check(held, ev({ kind: 'stored' }))[0]).toMatchObject({ field: 'warehouseId', reason: 'required' });
    const moved = applyCustodyEvent(held, ev({ kind: 'stored', warehouseId: 'wh-2', shelf: ' B-07 ' }));
    expect(moved).toEqual({ state: 'held', holderUnitId: 'unit-a', warehouseId: 'wh-2', shelf: 'B-07' });
    expect(applyCustodyEvent(moved, ev({ kind: 'sampled', documentNo: 'BB-3' }))).toMatchObject({ state: 'at_testing', warehouseId: 'wh-2' });
    expect(applyCustodyEvent(moved, ev({ kind: 'destroyed', documentNo: 'BB', decisionNo: 'QĐ' }))).toEqual({ state: 'destroyed', holderUnitId: 'unit-a', warehouseId: null, shelf: null });
  });

  it('returns an item from testing only when it was sent', () => {
    expect(check(held, ev({ kind: 'returned' }))[0]!.reason).toBe('invalid_transition');
    expect(check({ ...held, state: 'at_testing' }, ev({ kind: 'returned' }))).toEqual([]);
  });

  it('refuses events dated in the future or before the previous event', () => {
    expect(check(held, ev({ kind: 'stored', warehouseId: 'w', at: '2026-11-24T00:00:00.000Z' }))).toEqual([expect.objectContaining({ field: 'at', message: 'is in the future' })]);
    expect(check(held, ev({ kind: 'stored', warehouseId: 'w', at: '2026-10-01T00:00:00.000Z' }))[0]!.message).toMatch(/previous event/);
    expect(check(held, ev({ kind: 'stored', warehouseId: 'w', at: 'yesterday' }))[0]!.message).toMatch(/not a valid instant/);
  });

  it('replays a chain to the current position, and refuses an illegal sequence', () => {
    const events: CustodyEventInput[] = [
      ev({ kind: 'received' }),
      ev({ kind: 'stored', warehouseId: 'wh-1', shelf: 'K1' }),
      ev({ kind: 'transferred', toUnitId: 'unit-b', documentNo: 'BB' }),
      ev({ kind: 'received' }),
      ev({ kind: 'stored', warehouseId: 'wh-9' }),
    ];
    expect(replayCustody('unit-a', events)).toEqual({ state: 'held', holderUnitId: 'unit-b', warehouseId: 'wh-9', shelf: null });
    expect(() => replayCustody('unit-a', [ev({ kind: 'received' }), ev({ kind: 'destroyed', decisionNo: 'x', documentNo: 'y' }), ev({ kind: 'received' })])).toThrow(/cannot follow "destroyed"/);
  });
});

describe('custody handling deadlines', () => {
  it('gives perishable goods 30 days and everything else 90, counted in calendar days from the seizure', () => {
    // 2026-01-15 + 30 days = 2026-02-14 (January has 31 days: 16 left in January, 14 in February)
    expect(handlingDeadline('2026-01-15', 'MILK_FOOD')).toBe('2026-02-14');
    expect(handlingDeadline('2026-01-15', 'LIVESTOCK_POULTRY')).toBe('2026-02-14');
    // + 90 days: 16 (Jan) + 28 (Feb 2026) + 31 (Mar) = 75, then 15 more → 2026-04-15
    expect(handlingDeadline('2026-01-15', 'CIGARETTES')).toBe('2026-04-15');
    expect(handlingDeadline('2028-01-30', 'MILK_FOOD')).toBe('2028-02-29'); // 2028 is a leap year
  });

  it('flags an item still held after its deadline, never one already disposed of', () => {
    const item = { seizedOn: '2026-01-15', category: 'MILK_FOOD', state: 'held' as const };
    expect(isCustodyOverdue(item, '2026-02-14')).toBe(false); // the deadline day itself is still in time
    expect(isCustodyOverdue(item, '2026-02-15')).toBe(true);
    expect(isCustodyOverdue({ ...item, state: 'in_transit' }, '2026-03-01')).toBe(true);
    expect(isCustodyOverdue({ ...item, state: 'destroyed' }, '2026-03-01')).toBe(false);
  });

  it('takes per-category overrides and a new default, and names a bad setting', () => {
    const rules = parseHandlingRules('MILK_FOOD=15, *=60,CIGARETTES=120');
    expect(handlingDeadline('2026-01-01', 'MILK_FOOD', rules)).toBe('2026-01-16');
    expect(handlingDeadline('2026-01-01', 'WILDLIFE', rules)).toBe('2026-01-31'); // default perishable rule kept
    expect(handlingDeadline('2026-01-01', 'GOLD', rules)).toBe('2026-03-02');
    expect(handlingDeadline('2026-01-01', 'CIGARETTES', rules)).toBe('2026-05-01');
    expect(parseHandlingRules('')).toEqual(DEFAULT_HANDLING_RULES);
    expect(() => parseHandlingRules('MILK_FOOD=fast')).toThrow(/"MILK_FOOD=fast" is not CATEGORY=days/);
    expect(() => parseHandlingRules('GOLD=0')).toThrow(/at least 1 day/);
  });
});
