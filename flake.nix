{
  description = "nixotel: NixOS VM tests observable with OpenTelemetry";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs =
    { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});
      nixotelLib = import ./modules/lib { };
    in
    {
      lib = nixotelLib;

      inherit (nixotelLib) nixosModules;

      packages = forAllSystems (
        _system: pkgs: rec {
          emit-test-span = pkgs.callPackage ./modules/packages/emit-test-span.nix { };
          alloy-collector = pkgs.callPackage ./modules/packages/alloy-collector.nix { };
          nixotel = pkgs.callPackage ./modules/packages/nixotel.nix { };
          default = nixotel;
        }
      );

      apps = forAllSystems (
        system: _pkgs: rec {
          nixotel = {
            type = "app";
            program = lib.getExe self.packages.${system}.nixotel;
          };
          # `nix run <nixotel>#alloy-collector &`: OTLP on localhost:4318 → NIXOTEL_REMOTE_ENDPOINT, with span metrics.
          alloy-collector = {
            type = "app";
            program = lib.getExe self.packages.${system}.alloy-collector;
          };
          default = nixotel;
        }
      );

      templates = rec {
        starter = {
          path = ./templates/starter;
          description = "A flake whose NixOS tests (tests/*.nix) are traced with nixotel and run as checks";
        };
        default = starter;
      };

      checks = forAllSystems (
        system: pkgs:
        import ./modules/checks.nix {
          inherit pkgs self;
          nixosSystem = lib.nixosSystem;
        }
        # The repository's own traced NixOS tests; the folder is optional.
        // lib.optionalAttrs (builtins.pathExists ./tests/nixos) (
          nixotelLib.discoverTests {
            inherit pkgs;
            dir = ./tests/nixos;
          }
        )
      );

      formatter = forAllSystems (_system: pkgs: pkgs.nixfmt-rfc-style);
    };
}
