// Rewrites the role × endpoint table of docs/security.md from endpoint-matrix.ts:
//   npx tsx tests/integration/security/write-capability-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../server/infra/client-build.ts';
import { capabilityMarkers, capabilityTable } from './endpoint-matrix.ts';

const file = path.join(projectRoot, 'docs', 'security.md');
const text = readFileSync(file, 'utf8');
const start = text.indexOf(capabilityMarkers.start);
const end = text.indexOf(capabilityMarkers.end);
if (start < 0 || end < start) throw new Error(`docs/security.md has no ${capabilityMarkers.start} … ${capabilityMarkers.end}`);
writeFileSync(file, `${text.slice(0, start + capabilityMarkers.start.length)}\n${capabilityTable()}\n${text.slice(end)}`);
console.log('docs/security.md: capability table written');
