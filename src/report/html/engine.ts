// The report's own Handlebars instance: HTML escaping on (names come from test authors and builds),
// strict (a missing field is an error, never an empty string), pure helpers only. Its templates are
// templates/report/*.hbs, shipped with the package: page.hbs and the partials it uses by file name.
import Handlebars from "handlebars";
import { readdirSync, readFileSync } from "node:fs";
import { formatDuration } from "../summary-text.js";
import { jsonForScript } from "./escape.js";
import { packageFile } from "../../package-files.js";

// The same path from src/report/html (tests) and dist/report/html (the package).
const TEMPLATES_DIR = packageFile("templates/report/");
const PAGE = "page.hbs";

const numberArg = (helper: string, value: unknown): number => {
  if (typeof value !== "number") throw new TypeError(`Helper ${helper} expects a number, got ${typeof value}`);
  return value;
};

// A template file's last newline is the editor's, not the page's.
const readTemplate = (file: string) => readFileSync(new URL(file, TEMPLATES_DIR), "utf8").replace(/\n$/, "");

const KNOWN_HELPERS = { duration: true, json: true };

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper({
    duration: (ms: unknown) => formatDuration(numberArg("duration", ms)),
    // Data for a <script type="application/json"> element: not HTML-escaped (the script reads it
    // raw), made safe for that element by jsonForScript instead.
    json: (value: unknown) => new engine.SafeString(jsonForScript(value)),
  });
  for (const file of readdirSync(TEMPLATES_DIR).filter((name) => name.endsWith(".hbs") && name !== PAGE))
    engine.registerPartial(file.slice(0, -".hbs".length), readTemplate(file));
  return engine;
}

let compiled: Handlebars.TemplateDelegate | undefined;

/** Renders templates/report/page.hbs; compiled once, on first use. */
export function renderPage(view: object): string {
  // knownHelpersOnly: a {{name}} is always a field, never a helper lookup (and renders faster).
  if (!compiled)
    compiled = createEngine().compile(readTemplate(PAGE), { strict: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true });
  return compiled(view);
}

/** Text the page holds as it is (its own stylesheet and bundled scripts), never data from a run. */
export const trusted = (text: string) => new Handlebars.SafeString(text);
