# nixotel.tracedNode: a NixOS test node whose commands emit OpenTelemetry spans. It puts the emitter on
# PATH, sets the OTLP session variables that `machine.succeed(...)` commands see (the driver's backdoor
# shell sources /etc/profile, hence /etc/set-environment), points the spool and the traceparent file at the
# folder the driver shares with the host, and runs a collector in the VM when asked. A test's node block
# then says only which collector it uses:
#
#   imports = [ nixotel.nixosModules.tracedNode ];
#   nixotel.tracedNode = { enable = true; collector = "remote"; remoteHost = "server"; };
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib) mkOption types;
  cfg = config.nixotel.tracedNode;
  inherit (import ../lib/alloy-syntax.nix) hostPort;

  # QEMU user networking's address of the host: the machine running the driver (its loopback, or the
  # sandbox's when the driver runs inside `nix build`).
  qemuHostAddress = "10.0.2.2";

  collectorHost =
    {
      local = "localhost";
      host = qemuHostAddress;
      remote = cfg.remoteHost;
    }
    .${cfg.collector};
in
{
  # Defines services.grafana-alloy, which a local collector turns on; importing it twice is harmless.
  imports = [ ../services/grafana-alloy.nix ];

  options.nixotel.tracedNode = import ./session-options.nix lib // {
    enable = lib.mkEnableOption "OpenTelemetry spans from this test node's commands (emitter, OTLP session variables, spool, traceparent)";

    collector = mkOption {
      type = types.enum [
        "local"
        "host"
        "remote"
      ];
      default = "local";
      example = "host";
      description = ''
        Where the node's spans go over OTLP/HTTP. `local`: Grafana Alloy runs in this VM
        (`services.grafana-alloy`, unit `grafana-alloy.service`), so the test can prove a span arrived.
        `host`: no collector in the VM; spans go to the host (${qemuHostAddress}), reachable only when the
        driver runs outside the Nix sandbox. `remote`: another node of the test runs the collector
        (see `remoteHost`). In every case the spool keeps a copy that reaches the test's output.
      '';
    };

    remoteHost = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "server";
      description = "The node (or address) running the collector when `collector = \"remote\"`; test nodes find each other by name through the /etc/hosts the test framework writes.";
    };

    otlpPort = mkOption {
      type = types.port;
      default = 4318;
      description = "Port of the collector's OTLP/HTTP receiver (the OpenTelemetry default). With `collector = \"local\"`, `services.grafana-alloy.otlpPort` follows it.";
    };

    endpoint = mkOption {
      type = types.nullOr types.str;
      default = if collectorHost == null then null else "http://${hostPort collectorHost cfg.otlpPort}";
      defaultText = lib.literalMD "`http://localhost:4318` (local), `http://${qemuHostAddress}:4318` (host), `http://<remoteHost>:4318` (remote), with `otlpPort` as the port";
      example = "https://otel.example.org:4318";
      description = "`OTEL_EXPORTER_OTLP_ENDPOINT` in the node's sessions: the base URL the emitter and OTel SDKs send to (`/v1/traces` is added). Set it for a collector the other options cannot describe, such as one behind TLS, or a local Alloy listening on one specific address.";
    };

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ../packages/emit-test-span.nix { };
      defaultText = lib.literalExpression "nixotel.packages.\${system}.emit-test-span";
      description = "The package that puts `emit_test_span.sh` on the node's PATH.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        assertions = [
          {
            assertion = cfg.endpoint != null;
            message = "nixotel.tracedNode: collector = \"remote\" needs the node that runs the collector; set nixotel.tracedNode.remoteHost (e.g. \"server\") or nixotel.tracedNode.endpoint.";
          }
        ];

        environment.systemPackages = [ cfg.package ];

        # Plain definitions: they win over the mkDefault ones services.grafana-alloy sets, and a test
        # changes them through the options above.
        environment.sessionVariables = {
          OTEL_SERVICE_NAME = cfg.serviceName;
        }
        // lib.optionalAttrs (cfg.endpoint != null) { OTEL_EXPORTER_OTLP_ENDPOINT = cfg.endpoint; }
        // lib.optionalAttrs (cfg.spoolDir != null) { NIXOTEL_SPOOL_DIR = cfg.spoolDir; }
        // lib.optionalAttrs (cfg.traceparentFile != null) { NIXOTEL_TRACEPARENT_FILE = cfg.traceparentFile; };
      }
      (lib.mkIf (cfg.collector == "local") {
        services.grafana-alloy = {
          enable = true;
          otlpPort = lib.mkDefault cfg.otlpPort;
          # Alloy's own copies: its log label, and the variables it would set where this module sets none
          # (a spool turned off here must stay off).
          serviceName = lib.mkDefault cfg.serviceName;
          spoolDir = lib.mkDefault cfg.spoolDir;
          traceparentFile = lib.mkDefault cfg.traceparentFile;
        };
      })
    ]
  );
}
