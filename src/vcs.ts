// What git knows of the tested code (revision, remote), for the run's resource. Never fails: without
// git or a repository, the facts are simply unknown.
import { resolve } from "node:path";
import { NixotelError } from "./errors.js";
import { runTool, type ToolEnvironment } from "./process.js";
import type { Attributes } from "./spans/model.js";
import { ATTR } from "./spans/vocabulary.js";

async function git(args: string[], where: ToolEnvironment): Promise<string | undefined> {
  try {
    const result = await runTool("git", args, where);
    const out = result.stdout.trim();
    return result.exitCode === 0 && out !== "" ? out : undefined;
  } catch (error) {
    if (error instanceof NixotelError) return undefined; // git is not installed
    throw error;
  }
}

/** The folder of a local flake (`.`, `./x`, `/x`, `path:…`, `git+file:…`); undefined for a remote one. */
export function flakeFolder(flake: string, cwd: string): string | undefined {
  const local = /^(?:path:|git\+file:(?:\/\/)?)([^?#]+)/.exec(flake) ?? /^([./][^?#]*)/.exec(flake);
  return local?.[1] ? resolve(cwd, local[1]) : undefined;
}

/** The git revision and remote of `where.cwd`, when it is inside a repository. */
export async function gitFacts(where: ToolEnvironment): Promise<Attributes> {
  const [revision, url] = await Promise.all([git(["rev-parse", "HEAD"], where), git(["remote", "get-url", "origin"], where)]);
  return {
    ...(revision ? { [ATTR.vcsRevision]: revision } : {}),
    ...(url ? { [ATTR.vcsRepositoryUrl]: url } : {}),
  };
}
