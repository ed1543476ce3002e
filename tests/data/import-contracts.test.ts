import { describe, expect, test } from 'bun:test';
import { importParts, parseImportOptions } from '../../src/data/import.ts';
import { dataErrorOf, fixture, MIN, T0, tempFiles } from './helpers.ts';

const files = tempFiles('import-contracts');

describe('files naming a contract per row (Databento MES.FUT)', () => {
  test('each dated contract becomes its own series; spreads are skipped unchecked and counted', () => {
    const r = importParts(fixture('databento-parent.csv'), parseImportOptions({}));
    expect(r.parts.map((p) => p.contract?.name)).toEqual(['MESH24', 'MESM24']);
    expect(r.parts.map((p) => [...p.series.time])).toEqual([[T0, T0 + MIN], [T0, T0 + MIN]]);
    expect(r.parts[1]!.series.close[1]).toBe(4832);
    expect([r.skippedRows, r.skippedSymbols]).toEqual([1, ['MESH4-MESM4']]);
  });

  test('--contract keeps that contract\'s rows only', () => {
    const r = importParts(fixture('databento-parent.csv'), parseImportOptions({ contract: 'MESM4' }));
    expect(r.parts.map((p) => p.contract?.name)).toEqual(['MESM24']);
    expect(r.skippedRows).toBe(3);
  });

  test('a contract the file does not hold is an error naming what it holds', () => {
    expect(dataErrorOf(() => importParts(fixture('databento-parent.csv'), parseImportOptions({ contract: 'MESZ4' })))).toContain('no rows of MESZ4 in its symbol column (found MESH4, MESM4, MESH4-MESM4)');
  });

  test('a plain symbol column (MES) is one series, filed under --contract when given', () => {
    const p = files.write('plain.csv', `time,open,high,low,close,volume,symbol\n${T0 / 1000},1,1,1,1,1,MES\n${T0 / 1000 + 60},1,1,1,1,1,MES\n`);
    const plain = importParts(p, parseImportOptions({}));
    expect(plain.parts.map((x) => [x.contract, x.series.length])).toEqual([[null, 2]]);
    expect(importParts(p, parseImportOptions({ contract: 'MESH4' })).parts[0]!.contract?.name).toBe('MESH24');
  });
});
