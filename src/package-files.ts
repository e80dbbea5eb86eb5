// The package's own files (templates, modules/lib, the report's page scripts in dist/), found from
// this module's place: one folder under the package root, whether it runs from src/, from tsc's dist/
// or from the CLI bundle's dist/nixotel*.js (rolldown.config.mjs), which moves every module there.
export const packageFile = (path: string): URL => new URL(`../${path}`, import.meta.url);
