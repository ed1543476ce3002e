import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGateway } from '../../../src/broker/ib-sim/gateway.ts';
import { loadGatewayState } from '../../../src/broker/ib-sim/state-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'qs-gw-state-unit-'));
afterEach(() => rmSync(join(dir, 'state.json'), { force: true }));

describe('the fake gateway state file', () => {
  test('no file: a new account (null); a file that is not JSON or not a state: an error naming the file, the file untouched', () => {
    const file = join(dir, 'state.json');
    expect(loadGatewayState(file)).toBeNull();
    writeFileSync(file, '{"version":1,');
    expect(() => loadGatewayState(file)).toThrow(`gateway state file ${file} cannot be read`);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,');
    writeFileSync(file, JSON.stringify({ version: 1, account: 'DU1', feed: { seed: 1 } }));
    expect(() => loadGatewayState(file)).toThrow(/is not a gateway:sim state \(at feed\.regime: /);
  });

  test('a corrupt file stops a gateway from starting instead of opening a new account', async () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, 'garbage');
    await expect(startFakeGateway({ port: 0, stateFile: file })).rejects.toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe('garbage');
  });

  test('a gateway started on the saved file resumes the market, the account and the id counters', async () => {
    const file = join(dir, 'state.json');
    const first = await startFakeGateway({ port: 0, seed: 5, stateFile: file, warmupBars: 50 });
    const bars = [await first.step(), await first.step()];
    const saved = loadGatewayState(file)!;
    await first.close();
    expect(saved.feed.nextBarIndex).toBe(52);
    // Started with other market options: the file's market wins, and the next bar follows on.
    const again = await startFakeGateway({ port: 0, seed: 99, stateFile: file, warmupBars: 10 });
    try {
      const next = await again.step();
      expect(next.time).toBe(bars[1]!.time + 60_000);
      expect(loadGatewayState(file)!.book.ids).toEqual(saved.book.ids);
    } finally {
      await again.close();
    }
  });
});
