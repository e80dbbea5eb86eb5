// Which checks a flake has for a system, and each one's drv path, out path and suite.
import { environmentError, usageError } from "../errors.js";
import { nixOutput, type ToolEnvironment } from "./process.js";

export interface CheckInfo {
  name: string;
  /** `checks.<system>.<name>` */
  attr: string;
  /** The installable nix builds: `<flake>#checks.<system>.<name>` */
  installable: string;
  drvPath: string;
  outPath: string;
  suite: string;
}

export const DEFAULT_SUITE = "nixos-tests";

/** `builtins.currentSystem` of the nix on PATH, e.g. x86_64-linux. */
export async function currentSystem(where: ToolEnvironment): Promise<string> {
  const out = await nixOutput(["eval", "--impure", "--raw", "--expr", "builtins.currentSystem"], where, "Asking nix for the current system");
  return out.trim();
}

/** A Nix string literal for `text` (escapes `\\`, `"` and `\${`): the only data written into Nix code. */
export const nixString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${")}"`;

// One evaluation gives the names (to check the wanted ones) and, for the wanted checks only (a
// NixOS test costs seconds to evaluate), drv path, out path and suite. A check's suite is
// `passthru.nixotel.suite` (a runNixOSTest module sets `passthru.nixotel.suite = "nginx";`), else DEFAULT_SUITE.
const discoverExpr = (wanted: readonly string[]) => `cs: let
  names = builtins.attrNames cs;
  wanted = ${wanted.length ? `[ ${wanted.map(nixString).join(" ")} ]` : "names"};
  detail = c: { drv = c.drvPath; out = c.outPath; suite = if c ? nixotel && c.nixotel ? suite then c.nixotel.suite else null; };
in {
  inherit names;
  details = builtins.listToAttrs (map (n: { name = n; value = detail cs.\${n}; }) (builtins.filter (n: cs ? \${n}) wanted));
}`;

export interface DiscoverOptions {
  flake: string;
  system: string;
  names: readonly string[];
  evalArgs: readonly string[];
}

export async function discoverChecks(options: DiscoverOptions, where: ToolEnvironment): Promise<CheckInfo[]> {
  const base = `${options.flake}#checks.${options.system}`;
  const wanted = [...new Set(options.names)];
  const json = await nixOutput(["eval", ...options.evalArgs, "--json", base, "--apply", discoverExpr(wanted)], where, `Evaluating the checks of ${base}`);
  const { names: available, details } = JSON.parse(json) as { names: string[]; details: Record<string, { drv: string; out: string; suite: string | null }> };
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw usageError(
      `Unknown check${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => JSON.stringify(n)).join(", ")} in ${base}. ` +
        `Available: ${available.length ? available.join(", ") : "(none)"}.`,
    );
  }
  if (available.length === 0) throw environmentError(`${base} has no checks. Add some to the flake's checks.${options.system}.`);
  return (wanted.length ? wanted : available).map((name) => {
    const detail = details[name];
    if (!detail) throw environmentError(`nix did not return check ${JSON.stringify(name)} of ${base}.`);
    return {
      name,
      attr: `checks.${options.system}.${name}`,
      installable: `${base}.${name}`,
      drvPath: detail.drv,
      outPath: detail.out,
      suite: detail.suite ?? DEFAULT_SUITE,
    };
  });
}
