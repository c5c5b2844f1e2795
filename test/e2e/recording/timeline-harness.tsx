// Page for timeline.web.spec.ts: the Timeline panel alone, its callbacks
// calling the test's real Replay controller in Node (exposed functions), its
// state and markers pushed back from there. Bundled by the spec with esbuild.
import { useEffect, useState, type JSX } from 'react';
import { createRoot } from 'react-dom/client';
import type { ReplayState, TimelineMarker } from '../../../shared/model.js';
import { Timeline } from '../../../renderer/src/panels/Timeline/Timeline.js';
import './timeline-harness-api.js';

window.__seeks = [];

function Harness(): JSX.Element | null {
  const [state, setState] = useState<ReplayState | null>(null);
  const [markers, setMarkers] = useState<TimelineMarker[]>([]);
  useEffect(() => {
    window.__setReplay = setState;
    window.__setMarkers = setMarkers;
  }, []);
  if (!state) return null;
  return (
    <Timeline
      state={state}
      markers={markers}
      onPlay={() => void window.replayCall('play')}
      onPause={() => void window.replayCall('pause')}
      onSpeed={(s) => void window.replayCall('speed', s)}
      onSeek={(t) => {
        window.__seeks.push(t);
        void window.replayCall('seek', t);
      }}
      onStep={() => void window.replayCall('step')}
    />
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
