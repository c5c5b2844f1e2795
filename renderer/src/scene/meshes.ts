// The three batched draws of a plane's graph: nodes, flows and message
// particles, each one instanced quad mesh whose instance buffers are typed
// arrays updated in place (one upload of the used prefix per frame). Shapes
// are drawn in the fragment shader; node marks (error, lost, stale, pinned)
// come from a small texture atlas.

import { Buffer, BufferUsage, Geometry, Mesh, Shader, Texture, UniformGroup } from 'pixi.js';
import { MARK, MARK_CELLS } from './lod.js';

const QUAD_INDEX = new Uint16Array([0, 1, 2, 0, 2, 3]);
const CORNERS = new Float32Array([-1, -1, 1, -1, 1, 1, -1, 1]);
/** Flow quads: x = 0 at the source, 1 at the target; y across. */
const FLOW_CORNERS = new Float32Array([0, -1, 1, -1, 1, 1, 0, 1]);


const CELL = 64;

const HEADER = `#version 300 es
precision highp float;
uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform mat3 uTransformMatrix;
vec4 clip(vec2 p) { return vec4(((uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix) * vec3(p, 1.0)).xy, 0.0, 1.0); }
`;

const NODE_VERTEX = `${HEADER}
in vec2 aCorner;
in vec2 aPos;
in vec4 aStyle;
in vec4 aMeta;
uniform float uRadius;
uniform float uPixel;
uniform float uRing;
out vec2 vCorner;
out vec4 vColor;
out float vMark;
out float vRing;
out float vAa;
void main() {
  float r = uRadius * (1.0 + 0.6 * aMeta.x);
  float mark = floor(aMeta.y * 255.0 + 0.5);
  vMark = mark;
  vRing = aMeta.z;
  // The quad reaches out to the ring and the marks only when the node has one: a plain disc's quad is its own
  // square (half the fragments; software GL pays per fragment).
  float reach = (mark > 0.5 || aMeta.z * uRing > 0.0) ? 1.45 : 1.0;
  gl_Position = aStyle.a > 0.0 ? clip(aPos + aCorner * r * reach) : vec4(-2.0, -2.0, 0.0, 1.0);
  vCorner = aCorner * reach;
  vColor = aStyle;
  vAa = uPixel / r;
}`;

const NODE_FRAGMENT = `#version 300 es
precision highp float;
in vec2 vCorner;
in vec4 vColor;
in float vMark;
in float vRing;
in float vAa;
uniform vec3 uPlaneColor;
uniform float uRing;
uniform sampler2D uMarks;
out vec4 finalColor;
void main() {
  float d = length(vCorner);
  float aa = clamp(vAa * 1.5, 0.02, 0.5);
  float disc = 1.0 - smoothstep(1.0 - aa, 1.0, d);
  float ring = smoothstep(1.12 - aa, 1.12, d) * (1.0 - smoothstep(1.42 - aa, 1.42, d)) * vRing * uRing;
  vec4 c = vec4(vColor.rgb * disc, disc) + vec4(uPlaneColor * ring, ring);
  if (vMark > 0.5) {
    vec2 uv = clamp(vCorner / 1.45 * 0.5 + 0.5, 0.0, 1.0);
    vec4 m = texture(uMarks, vec2((vMark + uv.x) / ${MARK_CELLS}.0, uv.y));
    c = m + c * (1.0 - m.a);
  }
  finalColor = c * vColor.a;
}`;

const FLOW_VERTEX = `${HEADER}
in vec2 aCorner;
in vec4 aEnds;
in vec4 aColor;
in vec4 aMeta;
uniform float uPixel;
uniform float uHair;
out float vAcross;
out float vAlong;
out float vHalf;
out vec4 vColor;
void main() {
  vec2 a = aEnds.xy;
  vec2 b = aEnds.zw;
  vec2 d = b - a;
  float len = length(d);
  vec2 n = len > 0.0 ? vec2(-d.y, d.x) / len : vec2(0.0, 1.0);
  // Hairlines when flows crowd the screen (level of detail); a highlighted flow keeps its width.
  bool hair = uHair > 0.5 && aMeta.y == 0.0;
  float halfPx = hair ? 0.5 : aMeta.x * 4.0 + aMeta.y * 2.0;
  float reach = halfPx + (hair ? 0.5 : 1.0);
  gl_Position = aColor.a > 0.0 ? clip(mix(a, b, aCorner.x) + n * aCorner.y * reach * uPixel) : vec4(-2.0, -2.0, 0.0, 1.0);
  vAcross = aCorner.y * reach;
  vAlong = aCorner.x;
  vHalf = halfPx;
  vColor = aMeta.y > 0.0 ? vec4(1.0, 1.0, 1.0, 1.0) : aColor;
}`;

const FLOW_FRAGMENT = `#version 300 es
precision highp float;
in float vAcross;
in float vAlong;
in float vHalf;
in vec4 vColor;
out vec4 finalColor;
void main() {
  float edge = 1.0 - smoothstep(vHalf - 0.5, vHalf + 0.5, abs(vAcross));
  // Brighter towards the target: a flow's direction reads without arrowheads.
  float a = vColor.a * edge * (0.35 + 0.65 * vAlong);
  finalColor = vec4(vColor.rgb * a, a);
}`;

const PARTICLE_VERTEX = `${HEADER}
in vec2 aCorner;
in vec2 aPos;
in vec4 aColor;
in vec4 aMeta;
uniform float uPixel;
out vec2 vCorner;
out vec4 vColor;
out float vShape;
void main() {
  float size = aMeta.x * 16.0;
  gl_Position = aColor.a > 0.0 ? clip(aPos + aCorner * size * uPixel) : vec4(-2.0, -2.0, 0.0, 1.0);
  vCorner = aCorner;
  vColor = aColor;
  vShape = floor(aMeta.y * 255.0 + 0.5);
}`;

const PARTICLE_FRAGMENT = `#version 300 es
precision highp float;
in vec2 vCorner;
in vec4 vColor;
in float vShape;
out vec4 finalColor;
void main() {
  float a;
  if (vShape < 0.5) {
    a = 1.0 - smoothstep(0.75, 1.0, length(vCorner));
  } else if (vShape < 1.5) {
    a = 1.0 - smoothstep(0.8, 1.0, abs(vCorner.x) + abs(vCorner.y));
  } else {
    // A cross: failures read as such, not just as another colour.
    float d = min(abs(vCorner.x - vCorner.y), abs(vCorner.x + vCorner.y));
    a = (1.0 - smoothstep(0.22, 0.36, d)) * step(max(abs(vCorner.x), abs(vCorner.y)), 0.95);
  }
  a *= vColor.a;
  finalColor = vec4(vColor.rgb * a, a);
}`;

function instanceBuffer(data: Float32Array | Uint8Array, label: string): Buffer {
  return new Buffer({ data, label, usage: BufferUsage.VERTEX | BufferUsage.COPY_DST, shrinkToFit: false });
}

/** Puts `data` in the buffer (same array: upload the first `bytes`; a new array: replace). */
export function upload(buf: Buffer, data: Float32Array | Uint8Array, bytes: number): void {
  if (buf.data !== data) buf.data = data;
  else if (bytes > 0) buf.update(Math.min(bytes, data.byteLength));
}

function makeMarksTexture(): Texture {
  const canvas = document.createElement('canvas');
  canvas.width = CELL * MARK_CELLS;
  canvas.height = CELL;
  const g = canvas.getContext('2d')!;
  const c = CELL / 2;
  const r = CELL / 2 / 1.45; // node radius in the cell
  g.lineCap = 'round';
  // error: a white-edged red cross over the disc
  let x = CELL * MARK.error + c;
  g.strokeStyle = '#ffffff';
  g.lineWidth = 9;
  g.beginPath();
  g.moveTo(x - r * 0.6, c - r * 0.6); g.lineTo(x + r * 0.6, c + r * 0.6);
  g.moveTo(x + r * 0.6, c - r * 0.6); g.lineTo(x - r * 0.6, c + r * 0.6);
  g.stroke();
  g.strokeStyle = '#f85149';
  g.lineWidth = 5;
  g.stroke();
  // lost: a dashed grey halo and a slash
  x = CELL * MARK.lost + c;
  g.strokeStyle = '#c9d1d9';
  g.lineWidth = 3;
  g.setLineDash([5, 4]);
  g.beginPath();
  g.arc(x, c, r * 1.3, 0, Math.PI * 2);
  g.stroke();
  g.setLineDash([]);
  g.beginPath();
  g.moveTo(x - r * 0.7, c + r * 0.7); g.lineTo(x + r * 0.7, c - r * 0.7);
  g.stroke();
  // stale: an amber half halo (the plane has gone quiet)
  x = CELL * MARK.stale + c;
  g.strokeStyle = '#d29922';
  g.lineWidth = 4;
  g.beginPath();
  g.arc(x, c, r * 1.28, Math.PI, Math.PI * 2);
  g.stroke();
  // pinned: a white square at the top right
  x = CELL * MARK.pinned + c;
  g.fillStyle = '#ffffff';
  g.fillRect(x + r * 0.55, c - r * 1.3, r * 0.6, r * 0.6);
  // unknown state: hollow (the disc's middle in the background's colour, a rim of it left) with a "?"
  x = CELL * MARK.unknown + c;
  g.fillStyle = '#0d1117';
  g.beginPath();
  g.arc(x, c, r * 0.72, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#ffffff';
  g.font = `bold ${Math.round(r * 1.1)}px sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText('?', x, c + r * 0.05);
  return Texture.from(canvas);
}

let marks: Texture | null = null;

export type NodeUniforms = UniformGroup<{ uRadius: { value: number; type: 'f32' }; uPixel: { value: number; type: 'f32' }; uRing: { value: number; type: 'f32' }; uPlaneColor: { value: Float32Array; type: 'vec3<f32>' } }>;

/** Node uniforms: radius and one pixel in world units, and the plane's outline colour (shared array: the minimap's follows). */
export function nodeUniforms(planeColor: Float32Array = new Float32Array([1, 1, 1])): NodeUniforms {
  return new UniformGroup({
    uRadius: { value: 1, type: 'f32' },
    uPixel: { value: 1, type: 'f32' },
    uRing: { value: 1, type: 'f32' },
    uPlaneColor: { value: planeColor, type: 'vec3<f32>' },
  });
}

/** Nodes of one plane: positions (x,y), style (state rgb, alpha), meta (load, mark, ring, -). */
export class NodeMesh {
  readonly pos: Buffer;
  readonly style: Buffer;
  readonly meta: Buffer;
  readonly geometry: Geometry;
  readonly mesh: Mesh<Geometry, Shader>;
  readonly uniforms: NodeUniforms = nodeUniforms();

  constructor(xy: Float32Array, style: Uint8Array, meta: Uint8Array) {
    marks ??= makeMarksTexture();
    this.pos = instanceBuffer(xy, 'node-pos');
    this.style = instanceBuffer(style, 'node-style');
    this.meta = instanceBuffer(meta, 'node-meta');
    this.geometry = new Geometry({
      attributes: {
        aCorner: { buffer: CORNERS, format: 'float32x2' },
        aPos: { buffer: this.pos, format: 'float32x2', instance: true },
        aStyle: { buffer: this.style, format: 'unorm8x4', instance: true },
        aMeta: { buffer: this.meta, format: 'unorm8x4', instance: true },
      },
      indexBuffer: QUAD_INDEX,
      instanceCount: 0,
    });
    this.mesh = NodeMesh.meshOf(this.geometry, this.uniforms);
  }

  /** Another view of the same instance buffers (the minimap) with its own uniforms. */
  static meshOf(geometry: Geometry, uniforms: UniformGroup): Mesh<Geometry, Shader> {
    const shader = Shader.from({ gl: { vertex: NODE_VERTEX, fragment: NODE_FRAGMENT }, resources: { nodeUniforms: uniforms, uMarks: marks!.source } });
    return new Mesh({ geometry, shader });
  }
}

/** Persistent flows: ends (ax, ay, bx, by), colour (rgb, alpha), meta (width/8, highlight, -, -). */
export class FlowMesh {
  readonly ends: Buffer;
  readonly color: Buffer;
  readonly meta: Buffer;
  readonly geometry: Geometry;
  readonly mesh: Mesh<Geometry, Shader>;
  readonly uniforms = new UniformGroup({ uPixel: { value: 1, type: 'f32' }, uHair: { value: 0, type: 'f32' } });

  constructor(ends: Float32Array, color: Uint8Array, meta: Uint8Array) {
    this.ends = instanceBuffer(ends, 'flow-ends');
    this.color = instanceBuffer(color, 'flow-color');
    this.meta = instanceBuffer(meta, 'flow-meta');
    this.geometry = new Geometry({
      attributes: {
        aCorner: { buffer: FLOW_CORNERS, format: 'float32x2' },
        aEnds: { buffer: this.ends, format: 'float32x4', instance: true },
        aColor: { buffer: this.color, format: 'unorm8x4', instance: true },
        aMeta: { buffer: this.meta, format: 'unorm8x4', instance: true },
      },
      indexBuffer: QUAD_INDEX,
      instanceCount: 0,
    });
    const shader = Shader.from({ gl: { vertex: FLOW_VERTEX, fragment: FLOW_FRAGMENT }, resources: { flowUniforms: this.uniforms } });
    this.mesh = new Mesh({ geometry: this.geometry, shader });
  }
}

/** Particles in flight: position, colour (rgb, alpha), meta (size/16 px, shape: 0 disc, 1 diamond, 2 cross). */
export class ParticleMesh {
  readonly pos: Buffer;
  readonly color: Buffer;
  readonly meta: Buffer;
  readonly geometry: Geometry;
  readonly mesh: Mesh<Geometry, Shader>;
  readonly uniforms = new UniformGroup({ uPixel: { value: 1, type: 'f32' } });

  constructor(pos: Float32Array, color: Uint8Array, meta: Uint8Array) {
    this.pos = instanceBuffer(pos, 'particle-pos');
    this.color = instanceBuffer(color, 'particle-color');
    this.meta = instanceBuffer(meta, 'particle-meta');
    this.geometry = new Geometry({
      attributes: {
        aCorner: { buffer: CORNERS, format: 'float32x2' },
        aPos: { buffer: this.pos, format: 'float32x2', instance: true },
        aColor: { buffer: this.color, format: 'unorm8x4', instance: true },
        aMeta: { buffer: this.meta, format: 'unorm8x4', instance: true },
      },
      indexBuffer: QUAD_INDEX,
      instanceCount: 0,
    });
    const shader = Shader.from({ gl: { vertex: PARTICLE_VERTEX, fragment: PARTICLE_FRAGMENT }, resources: { particleUniforms: this.uniforms } });
    this.mesh = new Mesh({ geometry: this.geometry, shader });
  }
}
