// What `generate` would do to each declared test, decided before anything is written.
import type { Config } from "../config/schema.js";
import { projectReader, testFilePath } from "../config/paths.js";
import { render } from "../render/engine.js";
import { parseGenerated, withHeader } from "../render/header.js";
import type { TemplateInfo } from "../render/templates.js";
import { testView } from "../render/view.js";

export type FileState =
  | "create" // no file yet
  | "unchanged" // the file is what the template renders
  | "update" // generated and untouched, but the template or nixotel.json changed (drift)
  | "hand-edited" // generated, then edited: kept unless --force
  | "unmanaged"; // a file without nixotel's header: kept unless --force

interface Planned {
  test: string;
  file: string; // relative to the project root
  absolute: string;
}

/** A file that differs from what its template renders, with both texts (for the diff and the write). */
export interface StaleFile extends Planned {
  state: Exclude<FileState, "unchanged">;
  current: string | undefined;
  desired: string;
}

/** An unchanged file keeps neither text: 1,000 of them held to the end were most of what the garbage
 * collector copied in a `generate --check`. */
export type PlannedFile = StaleFile | (Planned & { state: "unchanged" });

export const isStale = (file: PlannedFile): file is StaleFile => file.state !== "unchanged";

function stateOf(current: string | undefined, desired: string): FileState {
  if (current === undefined) return "create";
  if (current === desired) return "unchanged";
  const parsed = parseGenerated(current);
  if (!parsed) return "unmanaged";
  return parsed.pristine ? "update" : "hand-edited";
}

export function renderTest(config: Config, test: Config["tests"][number], templates: ReadonlyMap<string, TemplateInfo>): string {
  const template = templates.get(test.template)!; // validateConfig guarantees it exists
  return withHeader(template.name, render(template, testView(config, test, template)));
}

/** Each test rendered once; its file checked and read in one open (projectReader), synchronously
 * (1,000 small reads one after another cost a fraction of as many through the thread pool), and compared. */
export function planGenerate(root: string, config: Config, templates: ReadonlyMap<string, TemplateInfo>): PlannedFile[] {
  const read = projectReader(root);
  return config.tests.map((test) => {
    const file = testFilePath(config, test);
    const { absolute, current } = read(file);
    const desired = renderTest(config, test, templates);
    const state = stateOf(current, desired);
    return state === "unchanged"
      ? { test: test.name, file, absolute, state }
      : { test: test.name, file, absolute, state, current, desired };
  });
}
