// nix's --max-jobs as nix itself resolves it (nix.conf, NIX_CONFIG, the flag; `auto` → the core count):
// the number of local build slots the build-slot chart is drawn against. `nix show-config` is 2.8's
// name; later versions keep it as a deprecated alias of `nix config show`, with the same JSON.
import { z } from "zod";
import type { ToolEnvironment } from "../process.js";
import { nixJson } from "./command.js";

const config = z.looseObject({ "max-jobs": z.looseObject({ value: z.number().int().nonnegative() }) });

export async function maxJobsOf(jobs: number | "auto" | undefined, where: ToolEnvironment): Promise<number> {
  const flag = jobs === undefined ? [] : ["--max-jobs", String(jobs)];
  const shown = await nixJson(["show-config", ...flag, "--json"], where, "Reading nix's max-jobs", config);
  return shown["max-jobs"].value;
}
