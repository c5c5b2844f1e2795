// Child of `npm run bench -- scale`: independent test planes (test/helpers/test-plane.ts,
// written from the seeds; not our simulator), in their own process so that
// generating their traffic does not share the bench's event loop.
// argv: count, JSON TestPlaneOptions. Sends {urls} when listening; stops on "exit";
// {kill: i} kills plane i (its sockets cut, its port closed), as a crashed plane would.
import { TestPlane, type TestPlaneOptions } from '../../helpers/test-plane.js';

const count = Number(process.argv[2] ?? 1);
const opts = JSON.parse(process.argv[3] ?? '{}') as TestPlaneOptions;
const planes: TestPlane[] = [];
for (let i = 0; i < count; i++) {
  const p = new TestPlane(opts);
  await p.start();
  planes.push(p);
}
process.send!({ urls: planes.map((p) => p.url) });
process.on('message', async (m) => {
  if (typeof m === 'object' && m !== null && typeof (m as { kill?: unknown }).kill === 'number') {
    await planes[(m as { kill: number }).kill]?.kill();
    return;
  }
  if (m === 'exit') {
    await Promise.all(planes.map((p) => p.stop()));
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
