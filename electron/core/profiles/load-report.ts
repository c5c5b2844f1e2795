// What opening the profile store found, in words: every host and the CLI
// print these lines, and the profile manager shows them as notices.

import type { LoadReport } from './store.js';

/** Lines for what opening the store found: recoveries and migrations are never silent. */
export function describeLoadReport(r: LoadReport, path: string): string[] {
  const lines: string[] = [];
  if (r.created) lines.push(`created ${path} with the "Local simulator" profile`);
  if (r.restoredFromLastGood) lines.push(`${path} was missing: restored from the last-good copy`);
  if (r.migratedFrom !== undefined) lines.push(`migrated ${path} from schema version ${r.migratedFrom} (the old file is kept at ${r.migrationBackup})`);
  if (r.corrupt) {
    lines.push(`${path} was damaged (${r.corrupt.reason}); it was moved to ${r.corrupt.movedTo}`);
    for (const i of r.corrupt.invalid) lines.push(`  entry ${i.index}${i.name !== undefined ? ` "${i.name}"` : ''}: ${i.error}`);
    if (r.corrupt.fromLastGood.length) lines.push(`  from the last-good copy: ${r.corrupt.fromLastGood.map((n) => `"${n}"`).join(', ')}`);
  }
  if (r.tokensMoved.length) lines.push(`moved the inline tokens of ${r.tokensMoved.map((n) => `"${n}"`).join(', ')} into the secret store`);
  if (r.tokensDropped.length) lines.push(`dropped the inline tokens of ${r.tokensDropped.map((n) => `"${n}"`).join(', ')}: no secret store (give them again with a token command or SWARMDECK_TOKEN)`);
  if (r.readOnly) lines.push(`read-only: ${r.readOnly}`);
  return lines;
}
