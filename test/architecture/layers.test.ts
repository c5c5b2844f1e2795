// The layer check (docs/ARCHITECTURE.md, "Layers"): the rules of
// .dependency-cruiser.cjs run through dependency-cruiser's API over the core,
// the shared module and the renderer. The tree must have no violation: no
// upward import, no import into another folder's private file, no cycle. The
// same rules over a fixture tree with one of each mistake show the check fails.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const CYCLE_RULES = ['no-circular', 'no-service-cycle'];

/** The repo's rules and options. */
async function rules(): Promise<IConfiguration> {
  return extractDepcruiseConfig(join(ROOT, '.dependency-cruiser.cjs'));
}

/** The repo's rules and options, cruising `roots` under `baseDir`; the renderer's tsconfig resolves @shared. */
async function check(baseDir: string, roots: string[], opts: { tsConfig: boolean }): Promise<{ errors: IViolation[]; ignored: number }> {
  const config = await rules();
  const { tsConfig, ...options } = config.options ?? {};
  const result = await cruise(
    roots,
    {
      ...options,
      baseDir,
      ...(opts.tsConfig && tsConfig?.fileName ? { tsConfig: { fileName: join(ROOT, tsConfig.fileName) } } : {}),
      ruleSet: { forbidden: config.forbidden ?? [] },
      validate: true,
    },
    {},
    opts.tsConfig && tsConfig?.fileName ? { tsConfig: extractTSConfig(join(ROOT, tsConfig.fileName)) } : {},
  );
  const summary = (result.output as ICruiseResult).summary;
  return { errors: summary.violations.filter((v) => v.rule.severity !== 'ignore'), ignored: summary.violations.filter((v) => v.rule.severity === 'ignore').length };
}

function countByRule(violations: readonly IViolation[]): Record<string, number> {
  const by: Record<string, number> = {};
  for (const v of violations) by[v.rule.name] = (by[v.rule.name] ?? 0) + 1;
  return by;
}

describe('the layer check', () => {
  it('the core, the shared module and the renderer: no upward import, no private import, no cycle', async () => {
    const { errors, ignored } = await check(ROOT, ['electron', 'shared', 'renderer/src'], { tsConfig: true });
    const byRule = countByRule(errors);
    const upward = byRule['no-upward'] ?? 0;
    const cycles = CYCLE_RULES.reduce((n, r) => n + (byRule[r] ?? 0), 0);
    console.log(`layer check: ${errors.length} violations (${upward} upward, ${cycles} cycles), ${ignored} ignored`);
    for (const v of errors) console.log(`  ${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' > ')})` : ''}`);
    expect(upward).toBe(0);
    expect(cycles).toBe(0);
    expect(byRule).toEqual({});
    expect(ignored).toBe(0);
  });

  it('has no exception: no known violation, no ignored rule, no cycle allowed through a module', async () => {
    const config = await rules();
    expect(config.options?.knownViolations ?? []).toEqual([]);
    for (const rule of config.forbidden ?? []) {
      expect(rule.severity, rule.name).toBe('error');
      expect(JSON.stringify(rule), rule.name).not.toContain('viaOnly');
    }
  });

  it('puts every core folder in a layer, so the layer rules apply to it', async () => {
    const config = await rules();
    const layerPaths = (config.forbidden ?? []).filter((r) => r.name === 'no-upward').flatMap((r) => ('to' in r ? [r.from.path, r.to.path] : []));
    const patterns = [...new Set(layerPaths.flat().filter((p): p is string => typeof p === 'string'))].map((p) => new RegExp(p));
    const folders = readdirSync(join(ROOT, 'electron/core')).filter((name) => statSync(join(ROOT, 'electron/core', name)).isDirectory());
    expect(folders.length).toBeGreaterThan(8);
    const outside = folders.filter((name) => !patterns.some((re) => re.test(`electron/core/${name}/index.ts`)));
    expect(outside).toEqual([]);
    // The scan sees a folder no layer names.
    expect(patterns.some((re) => re.test('electron/core/nowhere/index.ts'))).toBe(false);
  });

  it('reports an upward import, a private import, a cycle and the page reaching into the core, in a fixture tree', async () => {
    const { errors } = await check(FIXTURES, ['electron', 'shared', 'renderer'], { tsConfig: false });
    const found = (rule: string, from: string, to: string): boolean => errors.some((v) => v.rule.name === rule && v.from === from && v.to === to);
    expect(found('no-upward', 'electron/core/protocol/codec.ts', 'electron/core/store/index.ts')).toBe(true);
    expect(found('no-private-import', 'electron/core/store/slots.ts', 'electron/core/protocol/codec.ts')).toBe(true);
    expect(found('no-circular', 'electron/core/store/a.ts', 'electron/core/store/b.ts')).toBe(true);
    expect(found('no-service-cycle', 'electron/core/host/index.ts', 'electron/core/recording/index.ts')).toBe(true);
    expect(found('no-upward', 'electron/core/args/index.ts', 'electron/core/protocol/index.ts')).toBe(true);
    expect(found('no-service-cycle', 'electron/core/probe/index.ts', 'electron/core/host/index.ts')).toBe(true);
    expect(found('renderer-not-core', 'renderer/src/page.ts', 'electron/core/protocol/index.ts')).toBe(true);
    expect(found('renderer-shared-by-alias', 'renderer/src/page.ts', 'shared/index.ts')).toBe(true);
    expect(found('shared-no-node', 'shared/index.ts', 'path')).toBe(true);
    // Nothing else: the fixture's correct imports (to an index, down a layer, @shared's zod-free index) pass.
    const rest = errors.filter((v) => !(v.rule.name === 'no-circular' && v.from === 'electron/core/protocol/codec.ts'));
    expect(rest.map((v) => v.rule.name).sort()).toEqual(['no-circular', 'no-private-import', 'no-service-cycle', 'no-service-cycle', 'no-upward', 'no-upward', 'renderer-not-core', 'renderer-shared-by-alias', 'shared-no-node']);
  });
});

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Relative import specifiers of a file (static, dynamic, re-exports) that reach electron/ or shared/ of the tree at `base`, or leave it. */
function relativeEscapes(file: string, base = ROOT): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.filter((s) => {
    const target = relative(base, resolve(dirname(file), s));
    return target.startsWith('electron/') || target.startsWith('shared/') || target.startsWith('..');
  });
}

describe('the renderer imports the main process only as @shared', () => {
  it('has no relative import into electron/ or shared/', () => {
    const files = sources(join(ROOT, 'renderer/src'));
    expect(files.length).toBeGreaterThan(50);
    const escapes = files.flatMap((f) => relativeEscapes(f).map((s) => `${relative(ROOT, f)}: ${s}`));
    console.log(`renderer: ${escapes.length} relative imports into electron/ or shared/ in ${files.length} files`);
    expect(escapes).toEqual([]);
  });

  it('the scan sees such an import (the fixture page has two)', () => {
    expect(relativeEscapes(join(FIXTURES, 'renderer/src/page.ts'), FIXTURES).sort()).toEqual(['../../electron/core/protocol/index.js', '../../shared/index.js']);
  });
});

/** A source file longer than this has grown a second job (docs/ARCHITECTURE.md); the binary decoder is one job, kept whole for speed. */
const MAX_LINES = 500;
const LONG_BY_DESIGN = new Set(['electron/core/protocol/binary.ts']);

describe('a file has one job', () => {
  it(`no source file of the core, the shared module or the renderer is over ${MAX_LINES} lines (but the binary decoder)`, () => {
    const files = ['electron', 'shared', 'renderer/src'].flatMap((d) => sources(join(ROOT, d))).filter((f) => !f.includes('node_modules'));
    expect(files.length).toBeGreaterThan(200);
    const long = files
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > MAX_LINES && !LONG_BY_DESIGN.has(x.file));
    expect(long).toEqual([]);
    // The rule sees a long file: the decoder is one.
    expect(readFileSync(join(ROOT, 'electron/core/protocol/binary.ts'), 'utf8').split('\n').length).toBeGreaterThan(MAX_LINES);
  });
});
