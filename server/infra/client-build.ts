// Builds the React client with Vite only when its output is missing or older than its sources,
// so a second `npm start` costs a few stat calls instead of a full build. Used by server/start.ts
// and by the e2e test setup.
import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ClientPaths {
  /** The built entry point whose age decides. */
  output: string;
  /** Files and folders whose contents the build depends on. */
  inputs: string[];
}

export function clientPaths(root = projectRoot): ClientPaths {
  return {
    output: path.join(root, 'dist/client/index.html'),
    inputs: [path.join(root, 'client'), path.join(root, 'vite.config.ts')],
  };
}

// Test files and editor droppings are not part of the bundle.
const ignored = (name: string): boolean => /\.test\.[cm]?[jt]sx?$/.test(name) || name.startsWith('.') || name === 'node_modules';

/**
 * Why the output must be rebuilt, or undefined when it is up to date. Stops at the first newer file.
 */
export async function clientBuildStaleReason(paths: ClientPaths = clientPaths()): Promise<string | undefined> {
  let builtAt: number;
  try {
    builtAt = (await stat(paths.output)).mtimeMs;
  } catch {
    return `${path.relative(projectRoot, paths.output) || paths.output} is missing`;
  }
  for (const input of paths.inputs) {
    const newer = await findNewer(input, builtAt);
    if (newer !== undefined) return `${path.relative(projectRoot, newer) || newer} changed`;
  }
  return undefined;
}

async function findNewer(target: string, than: number): Promise<string | undefined> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return undefined; // an input that does not exist cannot be newer
  }
  if (!info.isDirectory()) return info.mtimeMs > than ? target : undefined;
  // A directory's own mtime changes when a file is added, removed or renamed inside it.
  if (info.mtimeMs > than) return target;
  const entries = await readdir(target, { withFileTypes: true });
  for (const entry of entries) {
    if (ignored(entry.name)) continue;
    const newer = await findNewer(path.join(target, entry.name), than);
    if (newer !== undefined) return newer;
  }
  return undefined;
}

export interface ClientBuildResult {
  built: boolean;
  reason: string | undefined;
  ms: number;
}

/**
 * Builds into a temporary folder and swaps it in, so a running server never serves a half-written
 * dist/client and two concurrent builders cannot corrupt each other's output.
 */
export async function ensureClientBuilt(options: { log: (line: string) => void; root?: string; force?: boolean }): Promise<ClientBuildResult> {
  const started = performance.now();
  const root = options.root ?? projectRoot;
  const reason = options.force ? 'forced' : await clientBuildStaleReason(clientPaths(root));
  if (reason === undefined) return { built: false, reason, ms: performance.now() - started };
  options.log(`client: building with Vite (${reason})...`);
  const outDir = path.join(root, 'dist/client');
  const tempDir = path.join(root, 'dist', `.client-build-${process.pid}-${Date.now()}`);
  // Imported lazily: loading Vite costs more than the whole up-to-date check.
  const { build } = await import('vite');
  try {
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      // Vite resolves the config's relative `root` against the working directory; pin it.
      root: path.join(root, 'client'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: tempDir, emptyOutDir: true },
    });
    await swapInto(tempDir, outDir);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
  const ms = performance.now() - started;
  options.log(`client: built in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, reason, ms };
}

async function swapInto(tempDir: string, outDir: string): Promise<void> {
  const olds: string[] = [];
  for (let attempt = 0; ; attempt += 1) {
    const old = `${outDir}.old-${process.pid}-${Date.now()}-${attempt}`;
    if (existsSync(outDir) && (await rename(outDir, old).then(() => true, () => false))) olds.push(old);
    try {
      await rename(tempDir, outDir);
      break;
    } catch (error) {
      // Another builder swapped its output in between our two renames: move it aside and retry.
      if (attempt >= 5) throw error;
    }
  }
  await Promise.all(olds.map((old) => rm(old, { recursive: true, force: true })));
}
