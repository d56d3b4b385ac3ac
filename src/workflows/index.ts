// The workflow bundle's entry point: every workflow type the worker serves.
export { smokeTest } from './smoke-test.js';
export { provisionSite } from './provision-site.js';
