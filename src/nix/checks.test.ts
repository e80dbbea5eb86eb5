// The installable form of a derivation follows the nix at hand (NixOS/nix#4543, #7600).
import { describe, expect, it } from "vitest";
import { checkAttr, derivationInstallable } from "./checks.js";

const DRV = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-vm-test-run-web.drv";

describe("derivationInstallable", () => {
  it.each([
    ["2.8.0", DRV],
    ["2.12.1", DRV],
    ["2.13.0", `${DRV}^*`],
    ["2.18.9", `${DRV}^*`],
    ["2.31.0pre20250101_abcdef", `${DRV}^*`],
    ["3.0.0", `${DRV}^*`],
  ])("nix %s builds %s", (version, installable) => {
    expect(derivationInstallable(DRV, version)).toBe(installable);
  });
});

describe("checkAttr", () => {
  it("writes names as Nix attribute names, escaping what a quoted name needs", () => {
    expect(checkAttr("x86_64-linux", "web")).toBe("checks.x86_64-linux.web");
    expect(checkAttr("x86_64-linux", "php8.2")).toBe('checks.x86_64-linux."php8.2"');
    expect(checkAttr("x86_64-linux", 'say"hi')).toBe('checks.x86_64-linux."say\\"hi"');
    expect(checkAttr("x86_64-linux", "back\\slash")).toBe('checks.x86_64-linux."back\\\\slash"');
    expect(checkAttr("x86_64-linux", "if")).toBe('checks.x86_64-linux."if"');
  });
});
