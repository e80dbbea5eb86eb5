// Two kinds of bundle. The report page's scripts (src/report/html/browser, type-checked by
// src/report/html/browser/tsconfig.json), each one classic script that src/report/html/page-scripts.ts
// inlines into the page. And the CLI itself (bin/nixotel.js loads dist/nixotel.js): one module per
// command and lazily loaded part, with only the code and constants it uses (importing
// @opentelemetry/semantic-conventions/incubating whole costs ~80 ms), so `nixotel --version` and the
// first nix call of `run` come soon after Node starts (issue 14). Every chunk lands in dist/ itself:
// src/package-files.ts finds the package's files one folder up from there.
const pageScripts = ["waterfall", "scroll-logs", "logs"].map((name) => ({
  input: `src/report/html/browser/${name}.ts`,
  platform: "browser",
  logLevel: "warn",
  output: { format: "iife", file: `dist/report/html/browser/${name}.js` },
}));

const cli = {
  input: { nixotel: "src/index.ts" },
  platform: "node",
  logLevel: "warn",
  output: { format: "esm", dir: "dist", entryFileNames: "[name].js", chunkFileNames: "nixotel-[name]-[hash].js" },
};

export default [...pageScripts, cli];
