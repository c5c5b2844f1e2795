// One running app: a second launch hands its --profile names to the first
// (as the lock's additional data, so no argv parsing of Chromium's switches
// is needed) and exits; the first focuses a window and connects them.

import { app } from 'electron';
import { z } from 'zod';
import { MAX_PROFILES } from '../../shared/index.js';

const HandoverSchema = z.object({ profiles: z.array(z.string().max(200)).max(MAX_PROFILES) });

/** False when another instance holds the lock (this one should quit). */
export function acquireSingleInstance(profiles: readonly string[], onSecondLaunch: (profiles: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock({ profiles: [...profiles] })) return false;
  app.on('second-instance', (_e, _argv, _cwd, data: unknown) => {
    // The second launch's data is input like any other: validated, else ignored.
    const r = HandoverSchema.safeParse(data);
    onSecondLaunch(r.success ? r.data.profiles : []);
  });
  return true;
}
