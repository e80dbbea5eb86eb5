// Compiles every template and partial of templates/ once, at build time (`npm run build`, after tsc),
// into dist/templates.precompiled.cjs (src/render/precompiled.ts), so `generate` renders without
// loading Handlebars' compiler.
import { writeFileSync } from "node:fs";
import Handlebars from "handlebars";
import { PRECOMPILED_FILE, precompiledModule } from "../dist/render/precompiled.js";
import { loadTemplates } from "../dist/render/templates.js";

const templates = [...(await loadTemplates()).values()];
const sources = templates.flatMap((template) => [template.source, ...Object.values(template.partials)]);
writeFileSync(
  PRECOMPILED_FILE,
  precompiledModule(sources, (source, options) => Handlebars.precompile(source, options)),
);
