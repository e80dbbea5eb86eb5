# Fills in the `resolved` tarball URL of every registry package in a package-lock.json (parsed).
# npm leaves it out when `omit-lockfile-registry-resolved` is set (as on the machines this repo is
# developed on), but nixpkgs' importNpmLock fetches each package from exactly that URL, with the
# lock's `integrity` as its hash. Pure Nix, tested offline by tests/nix/npm-lock-resolved.test.ts.
{
  registry ? "https://registry.npmjs.org",
}:
lock:
let
  # "node_modules/a/node_modules/@s/b" -> "@s/b": the name is what follows the last node_modules/.
  nameFromPath =
    path:
    let
      parts = builtins.split "node_modules/" path;
    in
    builtins.elemAt parts (builtins.length parts - 1);

  # "@s/b" -> "b": registry tarballs of scoped packages are named without the scope.
  baseName =
    name:
    let
      scoped = builtins.match "@[^/]+/(.+)" name;
    in
    if scoped == null then name else builtins.head scoped;

  tarballUrl = name: version: "${registry}/${name}/-/${baseName name}-${version}.tgz";

  # Only entries that come from the registry: installed (under node_modules/), not links, with an
  # integrity hash to check the download against, and no resolved URL yet.
  needsUrl =
    path: entry:
    builtins.match "(.*/)?node_modules/.+" path != null
    && !(entry.link or false)
    && entry ? integrity
    && entry ? version
    && !(entry ? resolved);

  withUrl =
    path: entry:
    if needsUrl path entry then
      entry // { resolved = tarballUrl (entry.name or (nameFromPath path)) entry.version; }
    else
      entry;
in
lock // { packages = builtins.mapAttrs withUrl (lock.packages or { }); }
