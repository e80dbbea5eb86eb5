// Which folder the git facts come from: a local flake's own, else none (the caller uses the working directory).
import { expect, it } from "vitest";
import { flakeFolder } from "./vcs.js";

it("finds the folder of local flake references and none for remote ones", () => {
  expect(flakeFolder(".", "/work")).toBe("/work");
  expect(flakeFolder("./sub/flake", "/work")).toBe("/work/sub/flake");
  expect(flakeFolder("/abs/flake", "/work")).toBe("/abs/flake");
  expect(flakeFolder("path:/tmp/x?narHash=sha256-abc", "/work")).toBe("/tmp/x");
  expect(flakeFolder("path:rel", "/work")).toBe("/work/rel");
  expect(flakeFolder("git+file:///home/me/repo?ref=main", "/work")).toBe("/home/me/repo");
  expect(flakeFolder("git+file:/home/me/repo#x", "/work")).toBe("/home/me/repo");
  expect(flakeFolder("github:NixOS/nixpkgs", "/work")).toBeUndefined();
  expect(flakeFolder("nixpkgs", "/work")).toBeUndefined();
  expect(flakeFolder("git+https://example.com/repo", "/work")).toBeUndefined();
});
