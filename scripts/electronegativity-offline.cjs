// Preloaded into Electronegativity (scripts/electronegativity.mjs): its only
// network use besides the excluded AvailableSecurityFixesGlobalCheck is a
// translations download through `got`, answered here with an immediate
// failure so the run is offline and quick.
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'got') return () => Promise.reject(new Error('offline: no network in the Electronegativity check'));
  return load.call(this, request, parent, isMain);
};
