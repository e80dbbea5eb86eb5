# The demo `scripts/demo.sh` runs: three checks that behave like NixOS VM tests, built offline.
# There is no nixpkgs here, so no VM boots: each check runs its testScript with the REAL nixotel
# prelude and span emitter under a stand-in of the NixOS test driver (tests/prelude/standin_driver.py,
# whose "machines" run commands on the build host). demo.sh copies those files, with the constants they
# share (modules/lib/constants.json), next to this flake.
{
  outputs = { self }:
    let
      nonce = if builtins.pathExists ./nonce then builtins.readFile ./nonce else "";
      forSystem = system:
        let
          # Stands for the NixOS system closure every test shares: built once, reported as a dependency.
          system-closure = derivation {
            name = "demo-nixos-system";
            inherit system nonce;
            builder = "/bin/sh";
            args = [ "-c" "echo 'building the shared system closure' >&2; /bin/sleep 1; /bin/mkdir $out" ];
          };
          test = name: script: (derivation {
            name = "vm-test-run-${name}";
            inherit system nonce system-closure;
            builder = "/bin/sh";
            PATH = "/usr/bin:/bin"; # nix builds start with no PATH; the emitter needs bash and curl
            OTEL_TRACES_EXPORTER = "none"; # nothing listens inside a build: the emitter only spools
            EMITTER = ./emit_test_span.sh;
            args = [ "-c" ''
              mkdir -p "$out"
              exec /usr/bin/python3 ${./standin_driver.py} --out "$out" --script ${script} --name ${name} --suite web --prelude ${./nixotel_prelude.py} --constants ${./constants.json}
            '' ];
          }) // { nixotel.suite = "web"; };
        in
        {
          nginx-startup = test "nginx-startup" ./nginx-startup.py;
          admin-login = test "admin-login" ./admin-login.py;
          slow-boot = test "slow-boot" ./slow-boot.py;
        };
    in
    {
      checks = builtins.listToAttrs (map (system: { name = system; value = forSystem system; }) [ "x86_64-linux" "aarch64-linux" ]);
    };
}
