{
  description = "NixOS tests traced with nixotel";

  inputs = {
    # Replace with where you get nixotel from (a GitHub repository, a local path: `path:/src/nixotel`).
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
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      # Every tests/*.nix (not starting with `_`) is a check: `nixotel new NAME` adds one, no list to edit.
      checks = forAllSystems (
        pkgs:
        nixotel.lib.discoverTests {
          inherit pkgs;
          dir = ./tests;
        }
      );

      formatter = forAllSystems (pkgs: pkgs.nixfmt-rfc-style);
    };
}
