// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- connection

// ---------------------------------------------------------------- protocol

// ---------------------------------------------------------------- store

// ---------------------------------------------------------------- pipeline

// ---------------------------------------------------------------- hosts

// ---------------------------------------------------------------- renderer (scene)
// What the graph keeps of what planes send: each bound caps renderer memory
// however fast flows, messages or rounds arrive. What exceeds one is counted
// (scene stats) and shown in the legend, never dropped silently.

/** Persistent flows drawn (message.flow.stats); a new flowId beyond this is refused and counted. */
export const SCENE_MAX_FLOWS = 250_000;
/** message.sent particles in flight; beyond this the oldest is replaced (counted). */
export const SCENE_MAX_PARTICLES = 8_192;
/** Labels drawn at once, whatever the screen could hold. */
export const SCENE_MAX_LABELS = 400;
/** Coordination rounds tracked at once; the oldest is forgotten beyond this (counted). */
export const SCENE_MAX_ROUNDS = 64;
/** Participants drawn per round. */
export const SCENE_MAX_ROUND_PARTICIPANTS = 256;
/** Agents per plane laid out by the force simulation; more are placed on a stable spiral per group. */
export const SCENE_LAYOUT_MAX_AGENTS = 20_000;
/** Distinct groups (namespaces) per plane; further names share the last group. */
export const SCENE_MAX_GROUPS = 1_024;
/** Longest a node is extrapolated past its last update (ms): a plane gone quiet does not drift away. */
export const SCENE_MAX_EXTRAPOLATION_MS = 1_000;
