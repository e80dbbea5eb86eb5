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

// A check's suite: `passthru.nixotel.suite` on the check (a runNixOSTest module sets it with
// `passthru.nixotel.suite = "nginx";`), else DEFAULT_SUITE. Only the wanted checks are evaluated
// (a NixOS test costs seconds to evaluate), paths and suite in one call.
const detailsExpr = (wanted: readonly string[]) => `cs: builtins.listToAttrs (map (n: let c = cs.\${n}; in {
  name = n;
  value = { drv = c.drvPath; out = c.outPath; suite = if c ? nixotel && c.nixotel ? suite then c.nixotel.suite else null; };
}) [ ${wanted.map(nixString).join(" ")} ])`;

/** A Nix string literal for `text` (escapes `\\`, `"` and `\${`): the only data written into Nix code. */
const nixString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${")}"`;

export interface DiscoverOptions {
  flake: string;
  system: string;
  names: readonly string[];
  evalArgs: readonly string[];
}

export async function discoverChecks(options: DiscoverOptions, where: ToolEnvironment): Promise<CheckInfo[]> {
  const base = `${options.flake}#checks.${options.system}`;
  const namesJson = await nixOutput(
    ["eval", ...options.evalArgs, "--json", base, "--apply", "builtins.attrNames"],
    where,
    `Listing the checks of ${base}`,
  );
  const available = JSON.parse(namesJson) as string[];
  const unknown = options.names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw usageError(
      `Unknown check${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => JSON.stringify(n)).join(", ")} in ${base}. ` +
        `Available: ${available.length ? available.join(", ") : "(none)"}.`,
    );
  }
  const wanted = options.names.length > 0 ? [...new Set(options.names)] : available;
  if (wanted.length === 0) throw environmentError(`${base} has no checks. Add some to the flake's checks.${options.system}.`);
  const detailsJson = await nixOutput(["eval", ...options.evalArgs, "--json", base, "--apply", detailsExpr(wanted)], where, `Evaluating the checks of ${base}`);
  const details = JSON.parse(detailsJson) as Record<string, { drv: string; out: string; suite: string | null }>;
  return wanted.map((name) => {
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
