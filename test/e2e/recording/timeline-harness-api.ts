// What the timeline harness page (timeline-harness.tsx) puts on window: types only.
import type { ReplayState, TimelineMarker } from '../../../shared/model.js';

declare global {
  interface Window {
    replayCall(name: 'play' | 'pause' | 'speed' | 'seek' | 'step', arg?: number): Promise<void>;
    __setReplay?: (s: ReplayState) => void;
    __setMarkers?: (m: TimelineMarker[]) => void;
    __seeks: number[];
  }
}
export {};
