# nixotel.lib: what generated tests and flakes call. Pure Nix (builtins only); nixpkgs comes in
# only through the `pkgs` a caller passes, so the discovery can be evaluated offline with a mock.
{
  # The testScript prelude (Python) loaded ahead of every traced test script.
  prelude ? ../../scripts/nixotel_prelude.py,
}:
let
  nixosModules = rec {
    grafana-alloy = ../services/grafana-alloy.nix;
    tracedNode = ../nixos/traced-node.nix;
    default = grafana-alloy;
  };

  constants = import ./constants.nix;

  # A file in a test folder is a test when it is a .nix file not starting with `_` (helpers,
  # disabled tests) or `.` (editor lock and backup files).
  testNameOf =
    fileName: type:
    let
      stem = builtins.match "([^_.].*)\\.nix" fileName;
    in
    if stem != null && type != "directory" then builtins.head stem else null;
in
rec {
  inherit nixosModules prelude constants;

  # The user's testScript behind the prelude and the call that opens the test's span.
  # builtins.toJSON of a string is a valid Python string literal; attributes and the constants the
  # prelude shares with Nix (./constants.json) travel as JSON strings.
  tracedTestScript =
    {
      name,
      suite ? name,
      attributes ? { },
    }:
    script:
    let
      pythonJson = value: builtins.toJSON (builtins.toJSON value);
      extra = if attributes == { } then "" else ", attributes_json=${pythonJson attributes}";
    in
    builtins.readFile prelude
    + "\nnixotel_begin(name=${builtins.toJSON name}, suite=${builtins.toJSON suite}${extra}, constants_json=${pythonJson constants.prelude})\n"
    + script;

  # `extraDriverArgs` that make the NixOS test driver write `$out/junit.xml` (a path relative to its
  # `-o` folder), for a nixpkgs release given as `lib.trivial.release` ("24.11", "25.05", …). Opt-in
  # (nixotel.json `driverJunit`, off by default): nothing in nixotel needs the file, and some 2025 master
  # revisions of the driver's logger.py crash with it (KeyError(None) when the first top-level subtest
  # ends, so every test with a subtest fails), which a release number cannot see (docs/prelude.md).
  # `--junit-xml` came with the driver's CompositeLogger/JunitXMLLogger (nixpkgs PR #301772); 24.11 is
  # the first release known to have it. An older driver's argparse rejects the flag and fails the test,
  # so older releases get no flag.
  junitDriverArgs = release: if builtins.compareVersions release "24.11" >= 0 then [ "--junit-xml=junit.xml" ] else [ ];

  # The `nixotel` module argument of test files, built for one package set.
  nixotelFor = pkgs: {
    inherit nixosModules prelude;
    packages.emit-test-span = pkgs.callPackage ../packages/emit-test-span.nix { };
    lib = { inherit tracedTestScript junitDriverArgs; };
  };

  # One test file (a NixOS test module taking a `nixotel` argument) as a runnable test derivation.
  mkTest =
    { pkgs, file }:
    pkgs.testers.runNixOSTest {
      imports = [ file ];
      _module.args.nixotel = nixotelFor pkgs;
    };

  # Every test file of `dir` as an attribute set of tests, named after the file without `.nix`:
  # drop a file in the folder and it is a flake check, with no list to keep.
  discoverTests =
    { pkgs, dir }:
    let
      entries =
        if builtins.pathExists dir then
          builtins.readDir dir
        else
          throw "nixotel.lib.discoverTests: expected `dir` to be a folder of NixOS test files, got ${toString dir}, which does not exist; create it or pass the folder your tests are in.";
      tests = builtins.filter (entry: entry.name != null) (
        map (fileName: {
          name = testNameOf fileName entries.${fileName};
          value = mkTest {
            inherit pkgs;
            file = dir + "/${fileName}";
          };
        }) (builtins.attrNames entries)
      );
    in
    builtins.listToAttrs tests;
}
