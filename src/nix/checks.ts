// Which checks a flake has for a system, and each one's drv path, out path and suite.
import { environmentError, expected, usageError } from "../errors.js";
import { nixAttrName } from "../render/escape.js";
import { checkDetails, type CheckDetail } from "./check-details.js";
import { type ToolEnvironment } from "../process.js";
import { nixOutput } from "./command.js";

export interface CheckInfo {
  name: string;
  /** `checks.<system>.<name>` as a Nix attribute path, the name quoted and escaped when it is not an
   * identifier (`checks.x86_64-linux."php8.2"`, `checks.x86_64-linux."say\"hi"`) */
  attr: string;
  /** `<flake>#<attr>`, percent-encoded where a URL needs it; nix cannot parse it for a name holding `"`
   * (its attribute paths have quotes but no escapes), so `run` builds `derivationInstallable`s instead. */
  installable: string;
  drvPath: string;
  outPath: string;
  suite: string;
}

export const DEFAULT_SUITE = "nixos-tests";

/** A check as nixotel knows it, from what nix said of it: without a suite of its own it is in DEFAULT_SUITE. */
export const checkInfo = (flake: string, attr: string, name: string, detail: CheckDetail): CheckInfo => ({
  name,
  attr,
  installable: installableOf(flake, attr),
  drvPath: detail.drv,
  outPath: detail.out,
  suite: detail.suite ?? DEFAULT_SUITE,
});

/** `checks.<system>.<name>` as Nix writes an attribute path. */
export const checkAttr = (system: string, name: string) => `checks.${nixAttrName(system)}.${nixAttrName(name)}`;

/**
 * Every output of a derivation as an installable, in the form the nix at hand takes: Nix 2.4–2.12
 * build a bare `.drv` path's outputs and know no `^`; from 2.13 `<drv>^*` is the syntax, and from 2.15
 * a bare `.drv` path means the file itself, not its outputs (NixOS/nix#7600).
 */
export function derivationInstallable(drvPath: string, nixVersion: string): string {
  const [major = 0, minor = 0] = nixVersion.split(".").map((part) => Number.parseInt(part, 10));
  return major > 2 || (major === 2 && minor >= 13) ? `${drvPath}^*` : drvPath;
}

// nix parses an installable's fragment as a URL part and percent-decodes it: what a URL cannot hold
// (`%`, `#`, `{`, …) is percent-encoded; the quotes and spaces nix's fragment syntax allows stay.
const FRAGMENT_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@ /?"^]/;

/** `<flake>#<attr path>`, the attr path percent-encoded where nix needs it. */
export const installableOf = (flake: string, attr: string) =>
  `${flake}#${[...attr].map((c) => (FRAGMENT_SAFE.test(c) ? c : [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""))).join("")}`;

/** `builtins.currentSystem` of the nix on PATH, e.g. x86_64-linux. */
export async function currentSystem(where: ToolEnvironment): Promise<string> {
  const out = await nixOutput(
    ["eval", "--impure", "--raw", "--expr", "builtins.currentSystem"],
    where,
    "Asking nix for the current system",
  );
  return out.trim();
}

/** Nix's name for the system Node runs on (x86_64-linux, aarch64-darwin, …): a first guess only. */
function nodeSystem(): string {
  const arch = ({ x64: "x86_64", arm64: "aarch64", ia32: "i686" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${arch}-${process.platform}`;
}

/**
 * The checks of the given system, or of nix's current system. Asking nix for its system costs an
 * evaluation, so the checks of Node's guess are evaluated meanwhile and kept when nix agrees.
 */
export async function discoverChecksOf(
  options: Omit<DiscoverOptions, "system"> & { system: string | undefined },
  where: ToolEnvironment,
): Promise<Discovered & { system: string }> {
  if (options.system !== undefined)
    return { system: options.system, ...(await discoverChecks({ ...options, system: options.system }, where)) };
  const guess = nodeSystem();
  const guessed = discoverChecks({ ...options, system: guess }, where).then(
    (found) => ({ found }),
    (error: unknown) => ({ error }),
  );
  const system = await currentSystem(where);
  const early = await guessed;
  if (system !== guess) return { system, ...(await discoverChecks({ ...options, system }, where)) };
  if ("error" in early) throw early.error;
  return { system, ...early.found };
}

export interface DiscoverOptions {
  flake: string;
  system: string;
  names: readonly string[];
  evalArgs: readonly string[];
}

export interface Discovered {
  checks: CheckInfo[];
  /** The evaluating nix's version (`builtins.nixVersion`): which form of installable it builds. */
  nixVersion: string;
}

export async function discoverChecks(options: DiscoverOptions, where: ToolEnvironment): Promise<Discovered> {
  const base = `${options.flake}#checks.${nixAttrName(options.system)}`;
  const wanted = [...new Set(options.names)];
  const {
    names: available,
    details,
    nixVersion,
  } = await checkDetails(
    options.flake,
    { system: options.system, wanted: wanted.length ? wanted : null, skip: [], tolerant: false },
    options.evalArgs,
    where,
    `Evaluating the checks of ${base}`,
  );
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw usageError(
      `Unknown check${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => JSON.stringify(n)).join(", ")} in ${base}. ` +
        `Available: ${available.length ? available.join(", ") : "(none)"}.`,
    );
  }
  if (available.length === 0) throw environmentError(`${base} has no checks. Add some to the flake's checks.${options.system}.`);
  const checks = (wanted.length ? wanted : available).map((name) => {
    const detail = details[name];
    if (!detail) {
      const fix = `Please report this as a nixotel bug, with the output of \`nix eval --json ${base} --apply builtins.attrNames\`.`;
      throw environmentError(expected(`nix to describe check ${JSON.stringify(name)} of ${base}`, "no description", fix));
    }
    return checkInfo(options.flake, checkAttr(options.system, name), name, detail);
  });
  return { checks, nixVersion };
}
