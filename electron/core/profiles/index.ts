// profiles/: the profile store, its secrets, resolving a profile to a plane,
// and the profile manager's service. A service; the folder's one public entry.

export { FILE_MODE, type JsonFileFactory, readTextBounded } from './json-file.js';
export { type ConsentPort, type ConsentRequest, describeConsent, REFUSE_FROM_PAGE } from './consent.js';
export { describeLoadReport } from './load-report.js';
export { CACHE_DIR_ENV, defaultCacheDir, defaultConfigDir } from './paths.js';
export { autoConnectProfiles, cliProfileConfig, openDefaultProfileStore, startupProfiles } from './resolve.js';
export { FileSecretBackend, type TokenSeal } from './secret-file.js';
export type { SecretBackend } from './secrets.js';
export { ProfileService } from './service.js';
export { type LoadReport, ProfileError, ProfileStore } from './store.js';
