// The resource of the spans nixotel makes: service.name, OTEL_RESOURCE_ATTRIBUTES, host and git facts.
import { hostname } from "node:os";
import { resolve } from "node:path";
import { DEFAULT_SERVICE_NAME } from "../constants.js";
import { runTool, type ToolEnvironment } from "../nix/process.js";
import type { Attributes } from "./model.js";

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value.trim());

/** `k=v,k2=v2`, percent-decoded; malformed pairs are skipped as the spec says. */
export function parseKeyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? "").split(",")) {
    const index = pair.indexOf("=");
    if (index <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, index).trim())] = decodeURIComponent(pair.slice(index + 1).trim());
    } catch {
      continue;
    }
  }
  return out;
}

async function git(args: string[], where: ToolEnvironment): Promise<string | undefined> {
  try {
    const result = await runTool("git", args, where);
    return result.exitCode === 0 ? nonEmpty(result.stdout) : undefined;
  } catch {
    return undefined; // no git: the revision is simply unknown
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
    ...(revision ? { "vcs.ref.head.revision": revision } : {}),
    ...(url ? { "vcs.repository.url.full": url } : {}),
  };
}

export function runResource(env: NodeJS.ProcessEnv, vcs: Attributes): Attributes {
  const fromEnv = parseKeyValues(nonEmpty(env.OTEL_RESOURCE_ATTRIBUTES));
  return {
    "host.name": hostname(),
    ...vcs,
    ...fromEnv,
    "service.name": nonEmpty(env.OTEL_SERVICE_NAME) ?? fromEnv["service.name"] ?? DEFAULT_SERVICE_NAME,
  };
}
