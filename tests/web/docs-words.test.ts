import { describe, expect, test } from 'bun:test';
import { describeSchema } from '../../views/pages/docs.tsx';

describe('/docs describes parameters in words, not raw JSON schema', () => {
  test.each([
    [{ type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'whole number, from 1 to 100, default 20'],
    [{ type: 'string', pattern: '^\\d+$' }, 'string, matching ^\\d+$'],
    [{ enum: ['full', 'summary'] }, 'one of full, summary'],
    [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, 'string or number'],
    [undefined, 'any value'],
  ])('%j → %s', (schema, words) => {
    expect(describeSchema(schema)).toBe(words);
  });
});
