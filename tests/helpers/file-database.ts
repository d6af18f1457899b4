// Setup file of the integration project: each test file works on a copy of the demo template of its
// own, made before the file's code runs and dropped after its last hook. Files run at the same time,
// and one file's writes (cases, samples, teams, users) would otherwise show in another's totals and
// lists, making results depend on the order files happen to run in.
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { createOwnDatabase, fileDatabaseVariable } from './own-database.ts';

const database = await createOwnDatabase(`file${randomBytes(3).toString('hex')}`);
process.env[fileDatabaseVariable] = database.url;

afterAll(async () => {
  delete process.env[fileDatabaseVariable];
  await database.drop();
});
