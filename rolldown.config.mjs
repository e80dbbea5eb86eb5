// The report page's scripts (src/report/html/browser, type-checked by src/report/html/browser/tsconfig.json), each
// bundled into one classic script that src/report/html/page-scripts.ts inlines into the page.
export default ["waterfall", "scroll-logs", "logs"].map((name) => ({
  input: `src/report/html/browser/${name}.ts`,
  platform: "browser",
  logLevel: "warn",
  output: { format: "iife", file: `dist/report/html/browser/${name}.js` },
}));
