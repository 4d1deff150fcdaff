// undici's Agent, imported on first use by http.ts. undici is CommonJS: once bundled, a dynamic import of it has a
// default export only, so this module takes the Agent from it.
import undici from 'undici';

export const Agent = undici.Agent;
