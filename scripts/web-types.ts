// Writes web/src/api/schema.d.ts; test/unit/web/api-types.test.ts fails when it is stale.
import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, apiTypesSource } from './web/api-types.ts';

await writeFile(API_TYPES_FILE, await apiTypesSource());
console.log(`wrote ${API_TYPES_FILE.pathname}`);
