// Two kinds of bundle. The report page's scripts (src/report/html/browser, type-checked by
// src/report/html/browser/tsconfig.json), each one classic script that src/report/html/page-scripts.ts
// inlines into the page. And the CLI itself (bin/nixotel.js loads dist/nixotel.js): one module per
// command and lazily loaded part, with only the code and constants it uses (importing
// @opentelemetry/semantic-conventions/incubating whole costs ~80 ms), so `nixotel --version` and the
// first nix call of `run` come soon after Node starts (issue 14). Every chunk lands in dist/ itself:
// src/package-files.ts finds the package's files one folder up from there. A chunk's name holds its
// content's hash, so each build removes the chunks it did not write (tsc's files in dist/ stay).
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const pageScripts = ["waterfall", "scroll-logs", "logs"].map((name) => ({
  input: `src/report/html/browser/${name}.ts`,
  platform: "browser",
  logLevel: "warn",
  output: { format: "iife", file: `dist/report/html/browser/${name}.js` },
}));

const CHUNK = /^nixotel-.*\.js$/;

/** Removes the chunks of earlier builds: those the build just written does not hold. */
const removeStaleChunks = {
  name: "remove-stale-chunks",
  writeBundle(options, bundle) {
    for (const file of readdirSync(options.dir)) if (CHUNK.test(file) && !(file in bundle)) rmSync(join(options.dir, file));
  },
};

const cli = {
  input: { nixotel: "src/index.ts" },
  platform: "node",
  logLevel: "warn",
  plugins: [removeStaleChunks],
  output: { format: "esm", dir: "dist", entryFileNames: "[name].js", chunkFileNames: "nixotel-[name]-[hash].js" },
};

export default [...pageScripts, cli];
