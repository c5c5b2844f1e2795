// What every mark on the graph means: node colour (state), marks (error,
// lost, stale, pinned), outline (plane), size (load), flows (width = rate,
// colour = success), particles (colour = type, shape = priority, cross =
// failed), coordination rings. It also shows what the scene had to refuse at
// its bounds, so nothing is dropped silently.

import { useEffect, useState, type CSSProperties, type JSX } from 'react';
import type { SceneProbe } from './probe-types.js';
import type { GraphView } from './graph-view.js';
import { flowColor } from './lod.js';
import { hex, LEGEND } from './palette.js';
import { FAILED_MESSAGE_COLOR, MESSAGE_TYPE_COLORS, OTHER_MESSAGE_COLOR } from './particles.js';

const row: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: '4px 10px', alignItems: 'center', margin: '2px 0' };
const title: CSSProperties = { color: '#8b949e', marginRight: 2 };
const PROBE_MS = 1000;

function Dot({ fill, ring, size = 10, children }: { fill?: string; ring?: string; size?: number; children?: JSX.Element }): JSX.Element {
  return (
    <svg width={size + 6} height={size + 6} viewBox="-8 -8 16 16" aria-hidden="true" style={{ verticalAlign: 'middle' }}>
      {ring ? <circle r={7} fill="none" stroke={ring} strokeWidth={2} /> : null}
      <circle r={(size / 16) * 8 * 0.7} fill={fill ?? '#8b949e'} />
      {children}
    </svg>
  );
}

export function Legend({ planes, view }: { planes: readonly { plane: string; label: string; color: number }[]; view: GraphView | null }): JSX.Element {
  const [probe, setProbe] = useState<SceneProbe | null>(null);
  useEffect(() => {
    const t = setInterval(() => setProbe(view ? view.debug().probe() : null), PROBE_MS);
    return () => clearInterval(t);
  }, [view]);
  const dropped = probe ? probe.flowsRefused + probe.particlesReplaced + probe.roundsEvicted : 0;
  return (
    <div className="legend" data-testid="legend" style={{ fontSize: 11 }}>
      <div style={row}>
        <span style={title}>state</span>
        {LEGEND.map((s) => (
          <span key={s.name}>
            <span className="swatch" style={{ background: hex(s.color) }} />
            {s.name}
          </span>
        ))}
      </div>
      <div style={row}>
        <span style={title}>marks</span>
        <span>
          <Dot fill="#f85149">
            <path d="M-3,-3 L3,3 M3,-3 L-3,3" stroke="#fff" strokeWidth={1.6} />
          </Dot>
          error
        </span>
        <span>
          <Dot>
            <circle r={6.5} fill="none" stroke="#c9d1d9" strokeWidth={1.2} strokeDasharray="2 2" />
          </Dot>
          lost
        </span>
        <span>
          <Dot>
            <path d="M-6.5,0 A6.5,6.5 0 0 1 6.5,0" fill="none" stroke="#d29922" strokeWidth={1.6} />
          </Dot>
          stale plane
        </span>
        <span>
          <Dot>
            <rect x={2.5} y={-7} width={3} height={3} fill="#fff" />
          </Dot>
          pinned
        </span>
        <span>
          <Dot>
            <>
              <circle r={3.2} fill="#0d1117" />
              <text x={0} y={2.6} fontSize={7} fill="#fff" textAnchor="middle" fontWeight="bold">
                ?
              </text>
            </>
          </Dot>
          unknown state
        </span>
        <span>
          <Dot size={6} /> <Dot size={12} /> load (CPU)
        </span>
      </div>
      <div style={row}>
        <span style={title}>outline</span>
        {planes.map((p) => (
          <span key={p.plane}>
            <Dot fill="#30363d" ring={hex(p.color)} />
            {p.label}
          </span>
        ))}
      </div>
      <div style={row}>
        <span style={title}>flows</span>
        <span>width = msg rate</span>
        <span>
          success <span className="swatch" style={{ background: hex(flowColor(1)) }} />
          100% <span className="swatch" style={{ background: hex(flowColor(0.95)) }} />
          95% <span className="swatch" style={{ background: hex(flowColor(0.8)) }} />
          ≤80%
        </span>
        <span>hover a flow for its latency; quiet flows fade</span>
      </div>
      <div style={row}>
        <span style={title}>messages</span>
        {Object.entries(MESSAGE_TYPE_COLORS).map(([name, c]) => (
          <span key={name}>
            <Dot fill={hex(c)} size={7} />
            {name.toLowerCase()}
          </span>
        ))}
        <span>
          <Dot fill={hex(OTHER_MESSAGE_COLOR)} size={7} />
          other
        </span>
        <span>
          <svg width={12} height={12} viewBox="-6 -6 12 12" aria-hidden="true">
            <path d="M0,-5 L5,0 L0,5 L-5,0 Z" fill="#c9d1d9" />
          </svg>
          high/critical
        </span>
        <span>
          <svg width={12} height={12} viewBox="-6 -6 12 12" aria-hidden="true">
            <path d="M-4,-4 L4,4 M4,-4 L-4,4" stroke={hex(FAILED_MESSAGE_COLOR)} strokeWidth={2} />
          </svg>
          failed
        </span>
      </div>
      <div style={row}>
        <span style={title}>coordination</span>
        <span>
          <Dot ring="#e3b341" /> round participant, thick: initiator
        </span>
        <span>
          <Dot fill="#3fb950" size={6} />
          approve
        </span>
        <span>
          <Dot fill="#f85149" size={6} />
          reject
        </span>
      </div>
      {dropped > 0 && probe ? (
        <div style={{ ...row, color: '#d29922' }} data-testid="scene-dropped">
          not drawn: {probe.flowsRefused} flows over the limit · {probe.particlesReplaced} particles replaced · {probe.roundsEvicted} rounds forgotten
        </div>
      ) : null}
      {probe && probe.flowsUnresolved > 0 ? <div style={{ ...row, color: '#8b949e' }}>{probe.flowsUnresolved} flows name unknown agents or groups</div> : null}
    </div>
  );
}
