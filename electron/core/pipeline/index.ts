// pipeline/: one FramePipeline per view, frames out to the host. The folder's
// one public entry.

export { FramePipeline, type PipelineOptions } from './frame-pipeline.js';
export { FlowTable, type FlowUpdate } from './flow-table.js';
