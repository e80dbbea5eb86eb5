// The page's scripts, bundled from ./browser at build time (rolldown.config.mjs) into dist/, read
// once, each with the hash by which the page's Content-Security-Policy lets it run.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageFile } from "../../package-files.js";

// The same path from src/report/html (tests) and dist/report/html (the package).
const BUNDLE_DIR = packageFile("dist/report/html/browser/");

export interface PageScript {
  source: string;
  /** For the CSP's script-src: `'sha256-…'`. */
  cspHash: string;
}

function readScript(name: string): PageScript {
  let source: string;
  try {
    source = readFileSync(new URL(`${name}.js`, BUNDLE_DIR), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new Error(`Expected the report page's script at ${fileURLToPath(BUNDLE_DIR)}${name}.js, found none: run \`npm run build\`.`, {
      cause: error,
    });
  }
  // An inline script ends at the first `</script`: a bundle holding one would break the page.
  if (/<\/script|<!--/i.test(source)) throw new Error(`Expected ${name}.js to hold no "</script" or "<!--", so it can be inlined.`);
  return { source, cspHash: `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'` };
}

let scripts: { waterfall: PageScript; scrollLogs: PageScript; logs: PageScript } | undefined;

export const pageScripts = () =>
  (scripts ??= { waterfall: readScript("waterfall"), scrollLogs: readScript("scroll-logs"), logs: readScript("logs") });
