# The nixotel CLI, built from this repository with buildNpmPackage.
# npmDeps come from importNpmLock (nixpkgs >= 24.05), which fetches each package of package-lock.json
# by its own `integrity` hash: no npmDepsHash to recompute whenever the lock changes.
{
  lib,
  buildNpmPackage,
  importNpmLock,
  nodejs,
}:
let
  root = ../..;
  packageJSON = lib.importJSON (root + "/package.json");
  # The lock is written without `resolved` URLs (npm's omit-lockfile-registry-resolved); add them back.
  packageLock = import ../lib/npm-lock-resolved.nix { } (lib.importJSON (root + "/package-lock.json"));

  src = lib.fileset.toSource {
    inherit root;
    fileset = lib.fileset.unions (
      [
        (root + "/package.json")
        (root + "/package-lock.json")
        (root + "/tsconfig.json")
        (root + "/tsconfig.build.json")
        (root + "/rolldown.config.mjs")
        (root + "/bin")
        (root + "/src")
      ]
      # Shipped with the CLI (package.json "files"); some may not exist in every checkout.
      ++ map (dir: lib.fileset.maybeMissing (root + "/${dir}")) [
        "templates"
        "modules"
        "scripts"
        "nix"
      ]
    );
  };
in
buildNpmPackage {
  pname = packageJSON.name;
  inherit (packageJSON) version;
  inherit src nodejs;

  npmDeps = importNpmLock {
    npmRoot = src;
    package = packageJSON;
    inherit packageLock;
  };
  npmConfigHook = importNpmLock.npmConfigHook;

  # `npm run build` (tsc, the templates compiled into dist/templates.precompiled.cjs, then rolldown: the CLI bundle and the report page scripts) runs in buildPhase; unit tests stay in the repo's CI, not in this build.
  meta = {
    inherit (packageJSON) description;
    license = lib.licenses.mit;
    mainProgram = "nixotel";
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
  };
}
