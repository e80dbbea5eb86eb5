# Options of the OTLP session a test node's commands run in, declared alike by nixotel.tracedNode and
# services.grafana-alloy (which sets the same variables, as defaults, for tests that use it alone).
# Defaults come from ../lib/constants.json, the file TypeScript and the prelude read too.
lib:
let
  inherit (lib) mkOption types;
  shared = import ../lib/constants.nix;
in
{
  serviceName = mkOption {
    type = types.str;
    default = shared.serviceName;
    description = "`OTEL_SERVICE_NAME` in the node's sessions: the `service.name` of spans emitted by test commands, the name dashboards filter on.";
  };

  spoolDir = mkOption {
    type = types.nullOr types.str;
    default = shared.spoolDir;
    description = "`NIXOTEL_SPOOL_DIR` in the node's sessions: emit_test_span.sh also appends every span to a file here. The default lies in the folder the test driver shares with the host, where the testScript prelude collects the spans into the test's output, so they survive the Nix sandbox, which lets no span out over the network. `null` turns spooling off.";
  };

  traceparentFile = mkOption {
    type = types.nullOr types.str;
    default = shared.traceparentFile;
    description = "`NIXOTEL_TRACEPARENT_FILE` in the node's sessions: the testScript prelude keeps the current subtest's W3C traceparent there, so spans emitted by test commands nest under that subtest. The prelude writes it in the shared folder, so only the default works with it. `null` unsets it.";
  };
}
