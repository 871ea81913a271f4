import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { API_TYPES_FILE, apiTypesSource } from '../../../scripts/web/api-types.ts';

describe('web app API types', () => {
  it('match the server’s OpenAPI document (else run `npm run web:types`)', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    expect(committed === (await apiTypesSource()), 'web/src/api/schema.d.ts is stale').to.equal(
      true,
    );
  });
});
