// The shared module: what the core and the renderer both use, and the only
// thing the renderer imports of the main process (as `@shared`). The model,
// the event payloads, the protocol's named values, the limits, the IPC
// contract with its validating bridge and browser-mode wire format, and the
// plain helpers both sides show data with. No Node or Electron imports: both
// sides bundle it (the layer check, test/architecture/, keeps it so).

export * from './model.js';
export * from './events.js';
export * from './payloads.js';
export * from './protocol-names.js';
export * from './limits.js';
export * from './contract/index.js';
export * from './bridge.js';
export * from './wire.js';
export * from './markers.js';
export * from './text.js';
export * from './typed.js';
export * from './profiles/schema.js';
export * from './profiles/migrations.js';
export * from './profiles/exchange.js';
