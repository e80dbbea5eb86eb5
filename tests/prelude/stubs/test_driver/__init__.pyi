# Stand-in type stubs for nixpkgs' test_driver package (a mock of nixpkgs: there is no nixpkgs on these machines).
# Only what the declarations in ../../test-script-prepend*.py import, with the attribute types the real
# classes have (nixos/lib/test-driver/src/test_driver/*.py); both the 24.05 and the current names exist.
