// Strings from the network are copied, never sliced and kept. In V8 a cut
// string (slice, substring) is a view holding its whole parent: 256
// characters kept from a 60 KB message hold the 60 KB. One helper cuts and
// copies (protocol/string-bounds.ts); this file proves it does not retain
// the parent, and scans the intake path (with the TypeScript compiler's type
// checker) for a bare .slice/.substring/.substr of a string anywhere else.

import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import v8 from 'node:v8';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cutString, excerpt, flatCopy, keptString, quotedString } from '../../electron/core/protocol/string-bounds.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Heap growth (MB) of keeping f(parent) for 2,000 distinct 60 KB parents. */
function retainedMb(f: (parent: string) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < 2000; i++) kept.push(f(`${i}:${'x'.repeat(60_000)}`));
  gc();
  const grew = (process.memoryUsage().heapUsed - before) / 1e6;
  expect(kept).toHaveLength(2000);
  return grew;
}

describe('the cut-and-copy helper', () => {
  it('a bare slice keeps its parent (the attack); every helper keeps only what it returns', () => {
    // 2,000 parents of 60 KB are 120 MB: a slice keeps them all.
    expect(retainedMb((p) => p.slice(0, 256))).toBeGreaterThan(100);
    for (const [name, f] of [
      ['keptString', (p: string) => keptString(p, 256)],
      ['cutString', (p: string) => cutString(p, 256)],
      ['excerpt', (p: string) => excerpt(p, 256)],
      ['quotedString', (p: string) => quotedString(p, 256)],
      ['flatCopy of a slice', (p: string) => flatCopy(p.slice(0, 256))],
      ['keptString of a slice within the bound', (p: string) => keptString(p.slice(0, 100), 256)],
    ] as const) {
      const mb = retainedMb(f);
      expect(mb, name).toBeLessThan(10);
    }
  });

  it('cuts to the bound, never inside a surrogate pair, and keeps lone surrogates as they were', () => {
    expect(keptString('abcdef', 3)).toBe('abc…[3 more characters not kept]');
    expect(excerpt('ab\u{1F600}c', 3)).toBe('ab');
    expect(quotedString('abcdef', 3)).toBe('abc…');
    expect(flatCopy('a\ud800b')).toBe('a\ud800b');
  });
});

// ----------------------------------------------------------- the source scan

/** The intake path: every folder a plane's string passes through before it is kept. */
const SCANNED = ['electron/core/protocol', 'electron/core/connection', 'electron/core/store', 'electron/core/monitor'];
/** The helper itself. */
const ALLOWED = new Set(['electron/core/protocol/string-bounds.ts']);
const CUTS = new Set(['slice', 'substring', 'substr']);

function scan(): string[] {
  const configPath = join(ROOT, 'electron/tsconfig.json');
  const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dirname(configPath));
  const files = cfg.fileNames.filter((f) => SCANNED.some((d) => relative(ROOT, f).startsWith(`${d}/`)));
  expect(files.length).toBeGreaterThan(20);
  const program = ts.createProgram(files, cfg.options);
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const sf of program.getSourceFiles()) {
    const rel = relative(ROOT, sf.fileName);
    if (!files.some((f) => relative(ROOT, f) === rel) || ALLOWED.has(rel)) continue;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && CUTS.has(n.expression.name.text)) {
        const t = checker.getTypeAtLocation(n.expression.expression);
        if (t.flags & ts.TypeFlags.StringLike || checker.typeToString(t) === 'string') {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
          found.push(`${rel}:${line + 1}: ${n.getText().slice(0, 80)}`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

describe('the intake path', () => {
  it('never slices a string (protocol/, connection/, store/, monitor/): it cuts with keptString/excerpt/quotedString', () => {
    expect(scan()).toEqual([]);
  }, 120_000);
});
