// host/: browser mode's server (WebHost) and what both hosts serve the page
// with (CSP, request paths), plus the last-resort error handler. A service;
// the folder's one public entry.

export { contentSecurityPolicy } from './csp.js';
export { installLastResort } from './last-resort.js';
export { decodedPath, fileInside } from './request-path.js';
export { WebHost } from './web-host.js';
