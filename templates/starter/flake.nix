{
  description = "NixOS tests traced with nixotel";

  inputs = {
    # Where nixotel comes from: replace with its real location (a GitHub repository, or a local
    # checkout as `path:/src/nixotel`).
    nixotel.url = "github:nixotel/nixotel";
    nixpkgs.follows = "nixotel/nixpkgs";
  };

  outputs =
    { nixpkgs, nixotel, ... }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});
    in
    {
      # Every tests/*.nix (not starting with `_`) is a check named after its file: `nixotel new NAME`
      # adds one, with no list to edit. Each test gets the `nixotel` argument: the traced-node module
      # (nixotel.nixosModules.tracedNode: emitter, OTLP session, collector), the Alloy module
      # (nixotel.nixosModules.grafana-alloy) and nixotel.lib.tracedTestScript.
      checks = forAllSystems (
        _system: pkgs:
        nixotel.lib.discoverTests {
          inherit pkgs;
          dir = ./tests;
        }
      );

      # `nix develop` puts the nixotel CLI and the emitter on PATH.
      devShells = forAllSystems (
        system: pkgs: {
          default = pkgs.mkShell {
            packages = [
              nixotel.packages.${system}.nixotel
              nixotel.packages.${system}.emit-test-span
            ];
          };
        }
      );

      formatter = forAllSystems (_system: pkgs: pkgs.nixfmt-rfc-style);
    };
}
