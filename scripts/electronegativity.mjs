// `npm run -s electronegativity [-- --input DIR]`: Electronegativity over the
// Electron code (electron/ and renderer/index.html, with the pinned Electron
// version), offline: its one network check (AvailableSecurityFixesGlobalCheck)
// is skipped. Fails on any finding not justified in
// build/electronegativity-allowlist.json (check + file, with a reason), and
// on an allowlist entry that no longer matches anything, so the list stays true
// (unless the entry says `mayNotFire`, with why the tool does not always report it).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({ options: { input: { type: 'string' }, allowlist: { type: 'string' } } });
const allowlistPath = values.allowlist ?? join(ROOT, 'build', 'electronegativity-allowlist.json');
const allowlist = JSON.parse(readFileSync(allowlistPath, 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.electron;
const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');

// What ships: the Electron code and the page it loads.
const stage = mkdtempSync(join(tmpdir(), 'swarmdeck-electronegativity-'));
const out = join(stage, 'findings.csv');
try {
  const input = values.input ?? join(stage, 'app');
  if (!values.input) {
    cpSync(join(ROOT, 'electron'), join(input, 'electron'), { recursive: true });
    cpSync(join(ROOT, 'renderer', 'index.html'), join(input, 'renderer', 'index.html'));
  }
  const r = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'scripts', 'electronegativity-offline.cjs'), cli, '-i', input, '-r', '-v', 'false', '-e', electronVersion, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) {
    console.error(`electronegativity: the tool failed (exit ${r.status}): ${r.stderr || r.stdout}`);
    process.exit(1);
  }
  // issue, severity, confidence, filename, location, sample, description, url. The tool's CSV is not
  // reliable CSV (a sample may hold a stray quote or a newline), but its first five cells never hold a
  // comma: a row starts with a check id, and any other line continues the row before it.
  const rows = [];
  for (const line of readFileSync(out, 'utf8').split(/\r?\n/).slice(1)) {
    if (/^"?[A-Z][A-Z0-9_]*_CHECK"?,/.test(line)) rows.push(line);
    else if (rows.length > 0) rows[rows.length - 1] += ` ${line}`;
  }
  const findings = rows.map((line) => {
    const cells = line.split(',');
    const unquote = (c = '') => c.trim().replace(/^"|"$/g, '');
    return { check: unquote(cells[0]), severity: unquote(cells[1]), confidence: unquote(cells[2]), file: unquote(cells[3]), location: unquote(cells[4]), sample: unquote(cells.slice(5).join(',')).slice(0, 160) };
  });
  const justified = (f) => allowlist.find((a) => a.check === f.check && a.file === f.file);
  const unjustified = findings.filter((f) => !justified(f));
  // An entry with `mayNotFire` (its reason says why the tool does not always report it) is not stale when absent.
  const unused = allowlist.filter((a) => !a.mayNotFire && !findings.some((f) => a.check === f.check && a.file === f.file));
  for (const f of findings) {
    const a = justified(f);
    console.log(`${a ? 'allowed ' : 'FINDING '} ${f.check} ${f.severity}/${f.confidence} ${f.file}:${f.location}${a ? `: ${a.reason}` : ` ${f.sample}`}`);
  }
  for (const a of unused) console.log(`STALE    allowlist entry ${a.check} ${a.file} matches no finding: remove it`);
  const ok = unjustified.length === 0 && unused.length === 0;
  console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${findings.length - unjustified.length} justified in ${allowlistPath.replace(`${ROOT}/`, '')}, ${unjustified.length} not, ${unused.length} stale entries`);
  writeFileSync(join(stage, 'done'), '');
  process.exit(ok ? 0 : 1);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

