// Which checks a flake has for a system, and each one's drv path, out path and suite.
import { environmentError, expected, usageError } from "../errors.js";
import { checkDetails, type CheckDetail } from "./check-details.js";
import { type ToolEnvironment } from "../process.js";
import { nixOutput } from "./command.js";

export interface CheckInfo {
  name: string;
  /** `checks.<system>.<name>`, the name quoted when it is not an identifier (`checks.x86_64-linux."php8.2"`) */
  attr: string;
  /** The installable nix builds: `<flake>#<attr>`, percent-encoded where a URL needs it */
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

/** An attribute name as Nix writes it in a path: quoted unless a plain identifier (`"php8.2"`). */
export const attrName = (name: string) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : `"${name}"`);

/** `checks.<system>.<name>`, names quoted where needed. */
export const checkAttr = (system: string, name: string) => `checks.${attrName(system)}.${attrName(name)}`;

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
): Promise<{ system: string; checks: CheckInfo[] }> {
  if (options.system !== undefined)
    return { system: options.system, checks: await discoverChecks({ ...options, system: options.system }, where) };
  const guess = nodeSystem();
  const guessed = discoverChecks({ ...options, system: guess }, where).then(
    (checks) => ({ checks }),
    (error: unknown) => ({ error }),
  );
  const system = await currentSystem(where);
  const early = await guessed;
  if (system !== guess) return { system, checks: await discoverChecks({ ...options, system }, where) };
  if ("error" in early) throw early.error;
  return { system, checks: early.checks };
}

export interface DiscoverOptions {
  flake: string;
  system: string;
  names: readonly string[];
  evalArgs: readonly string[];
}

export async function discoverChecks(options: DiscoverOptions, where: ToolEnvironment): Promise<CheckInfo[]> {
  const base = installableOf(options.flake, `checks.${attrName(options.system)}`);
  const wanted = [...new Set(options.names)];
  const { names: available, details } = await checkDetails(
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
  return (wanted.length ? wanted : available).map((name) => {
    const detail = details[name];
    if (!detail) {
      const fix = `Please report this as a nixotel bug, with the output of \`nix eval --json ${base} --apply builtins.attrNames\`.`;
      throw environmentError(expected(`nix to describe check ${JSON.stringify(name)} of ${base}`, "no description", fix));
    }
    return checkInfo(options.flake, checkAttr(options.system, name), name, detail);
  });
}
