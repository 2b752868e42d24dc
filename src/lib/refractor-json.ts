// A JSON-only `refractor` that vite.config.ts aliases in place of the full one, so EuiCode/EuiCodeBlock don't bundle every Prism grammar.
import refractorCore from 'refractor/core';
import json from 'refractor/lang/json';

// `refractor/core` already carries markup, css, clike and javascript; JSON is the only language the console shows.
refractorCore.register(json);

// EUI imports `{ highlight, register, listLanguages }` by name (code/utils.js) and the default object
// (markdown remark_prismjs.js), so both shapes are provided. Wrapped so they never depend on `this`.
export const highlight: typeof refractorCore.highlight = (value, name) =>
  refractorCore.highlight(value, name);
export const register: typeof refractorCore.register = (syntax) => refractorCore.register(syntax);
export const registered: typeof refractorCore.registered = (name) => refractorCore.registered(name);
export const listLanguages: typeof refractorCore.listLanguages = () => refractorCore.listLanguages();
export const alias: typeof refractorCore.alias = refractorCore.alias;

// The one default export in src/: this module stands in for a CommonJS package whose default object EUI uses.
export default refractorCore;
