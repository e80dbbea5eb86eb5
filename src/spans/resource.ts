// The resource of the spans nixotel makes: service.name, OTEL_RESOURCE_ATTRIBUTES, host and git facts (src/vcs.ts).
import { hostname } from "node:os";
import type { Attributes } from "./model.js";

const DEFAULT_SERVICE_NAME = "nixos-integration-tests";

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value.trim());

/** `k=v,k2=v2`, percent-decoded; malformed pairs are skipped as the spec says. */
export function parseKeyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? "").split(",")) {
    const index = pair.indexOf("=");
    if (index <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, index).trim())] = decodeURIComponent(pair.slice(index + 1).trim());
    } catch (error) {
      if (error instanceof URIError) continue; // a malformed percent-escape: skipped like a malformed pair
      throw error;
    }
  }
  return out;
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
