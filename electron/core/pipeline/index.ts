// pipeline/: one FramePipeline per view, frames out to the host. The folder's
// one public entry.

export { FramePipeline, type PipelineOptions } from './frame-pipeline.js';
export { FLOW_REORDER_MS, FlowTable, type FlowStatsUpdate } from './flow-table.js';
export { flowEnds, flowLook, type FoldResult, PlaneFlows } from './flow-fold.js';
