// A view of the core as a page would be: every frame parsed against the page
// contract (so a frame the page would refuse fails the test), kept, and
// acknowledged right after.
import type { SwarmCore } from '../../electron/core/app/core.js';
import { type FrameMessage, FrameMessageSchema } from '../../shared/index.js';

/** Opens a view on `core` (hello 'web'); returns the frames it got, in order. */
export function collectFrames(core: SwarmCore): FrameMessage[] {
  const frames: FrameMessage[] = [];
  const view = core.openView((f) => {
    frames.push(FrameMessageSchema.parse(structuredClone(f)));
    queueMicrotask(() => view.ack(f.seq));
  });
  view.hello('web');
  return frames;
}
