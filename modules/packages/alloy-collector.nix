# `alloy-collector`: Grafana Alloy with nixotel's configuration on any Linux with Nix (a CI runner,
# a laptop), so that `nixotel run` → this collector → the backend yields span metrics for whole runs
# and checks. The four configurations (../lib/alloy-collector.nix) are rendered into the store
# without any backend detail; the script picks one by the variables set and Alloy reads their values.
{
  lib,
  writeShellApplication,
  writeText,
  grafana-alloy,
}:
let
  collector = import ../lib/alloy-collector.nix;
  renderAlloyConfig = import ../lib/alloy-config.nix;
  inherit (collector) env;
  configFor = name: writeText "nixotel-collector-${name}.alloy" (renderAlloyConfig collector.variants.${name});
in
writeShellApplication {
  name = "alloy-collector";
  runtimeInputs = [ grafana-alloy ];
  text = ''
    fail() {
      echo "alloy-collector: $1" >&2
      exit 2
    }
    if [[ -z "''${${env.endpoint}:-}" ]]; then
      fail "expected ${env.endpoint} to be the OTLP/HTTP base URL to forward to (e.g. https://otlp-gateway-prod-eu-west-2.grafana.net/otlp or http://tempo:4318), got nothing; export it and run again."
    fi
    has_user=''${${env.username}:+yes}
    has_password=''${${env.password}:+yes}
    if [[ "$has_user" != "$has_password" ]]; then
      fail "expected ${env.username} and ${env.password} together (basic auth; on Grafana Cloud the OTLP instance ID and a token), got only one; set both or neither."
    fi

    variant=otlp
    if [[ -n "''${${env.remoteWriteUrl}:-}" ]]; then variant=remote-write; fi
    if [[ -n "$has_user" ]]; then variant="$variant-basic-auth"; fi
    case "$variant" in
    ${lib.concatMapStrings (name: ''
      ${name}) config=${configFor name} ;;
    '') (lib.attrNames collector.variants)}
    esac

    # Alloy's write-ahead log (remote write) and component state; not in the working directory.
    storage="''${NIXOTEL_COLLECTOR_STORAGE:-''${TMPDIR:-/tmp}/nixotel-alloy-collector}"
    echo "alloy-collector: receiving OTLP/HTTP on http://localhost:4318 (configuration: $variant)" >&2
    exec alloy run "$config" --storage.path="$storage" --disable-reporting "$@"
  '';
  meta = {
    description = "Grafana Alloy configured by nixotel: OTLP on localhost:4318 to a remote backend, with span metrics";
    license = lib.licenses.mit;
    mainProgram = "alloy-collector";
    platforms = lib.platforms.linux;
  };
}
