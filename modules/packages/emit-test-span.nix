# emit_test_span.sh on PATH, with its runtime inputs (bash, curl, coreutils) fixed by a wrapper: a
# compiled one (makeBinaryWrapper: setenv, then exec), as makeWrapper's is itself a bash script and
# every span would pay a second bash start (issue 14: the emitter against one bare curl POST).
# Not writeShellApplication: that prepends `set -o errexit -o nounset -o pipefail`, which would change
# the script's own error handling (it must warn and exit 0 when the collector is down, never abort).
# Not resholve: the script is small and calls only curl and coreutils, which the wrapper's PATH fixes.
{
  lib,
  stdenvNoCC,
  makeBinaryWrapper,
  bash,
  curl,
  coreutils,
  shellcheck,
}:
stdenvNoCC.mkDerivation {
  pname = "emit-test-span";
  version = "0.1.0";

  src = ../../scripts/emit_test_span.sh;
  dontUnpack = true;

  nativeBuildInputs = [ makeBinaryWrapper ];
  # patchShebangs takes the interpreter of the host platform from here.
  buildInputs = [ bash ];

  installPhase = ''
    runHook preInstall
    install -Dm755 "$src" "$out/bin/emit_test_span.sh"
    patchShebangs --host "$out/bin/emit_test_span.sh"
    wrapProgram "$out/bin/emit_test_span.sh" \
      --prefix PATH : ${
        lib.makeBinPath [
          curl
          coreutils
        ]
      }
    runHook postInstall
  '';

  doCheck = true;
  nativeCheckInputs = [ shellcheck ];
  checkPhase = ''
    runHook preCheck
    shellcheck --shell=bash "$src"
    runHook postCheck
  '';

  meta = {
    description = "Emit one OpenTelemetry span (OTLP/HTTP JSON) from a NixOS test command";
    license = lib.licenses.mit;
    mainProgram = "emit_test_span.sh";
    platforms = lib.platforms.unix;
  };
}
