# Cheap flake checks (no VM): the Alloy config matches its golden files, the NixOS modules evaluate
# with their assertions passing (the Alloy module refusing a URL with userinfo, and rendering the unit
# the seed's commands expect; a traced node's session in each collector mode), the emitter builds
# (which runs shellcheck on it).
{
  pkgs,
  self,
  nixosSystem,
}:
let
  inherit (pkgs) lib;
  system = pkgs.stdenv.hostPlatform.system;
  renderAlloyConfig = import ./lib/alloy-config.nix;
  goldenDir = ../tests/golden/alloy;
  cases = import (goldenDir + "/cases.nix");

  # A container system importing the module, with one more NixOS module of settings.
  systemWith =
    settings:
    nixosSystem {
      inherit system;
      modules = [
        self.nixosModules.default
        {
          boot.isContainer = true;
          system.stateVersion = "25.05";
        }
        settings
      ];
    };

  exampleSystem = systemWith {
    services.grafana-alloy = {
      enable = true;
      debugLog = true;
      remote = {
        endpoint = "https://otlp.example.org/otlp";
        basicAuth = {
          username = "123456";
          passwordFile = "/run/secrets/otlp-token";
        };
      };
      spanMetrics.enable = true;
    };
    # What a test may set itself: must merge with the module's defaults, not conflict.
    environment.sessionVariables = {
      OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318";
      OTEL_SERVICE_NAME = "a-service-of-the-test's-own";
    };
  };
  failedAssertions = map (a: a.message) (lib.filter (a: !a.assertion) exampleSystem.config.assertions);

  # The module with a token in a URL option: its assertion must refuse it, naming the option.
  userinfoSystem = systemWith {
    services.grafana-alloy = {
      enable = true;
      logs.lokiUrl = "https://tenant:token@loki.example.org/loki/api/v1/push";
    };
  };
  userinfoRefused = lib.any (
    a: !a.assertion && lib.hasInfix "logs.lokiUrl: the URL carries credentials" a.message
  ) userinfoSystem.config.assertions;
  unitDir = exampleSystem.config.systemd.units."grafana-alloy.service".unit;

  # A traced node in each collector mode: its session's endpoint, and whether Alloy runs in it.
  tracedNodeIn =
    tracedNode:
    (systemWith {
      imports = [ self.nixosModules.tracedNode ];
      nixotel.tracedNode = { enable = true; } // tracedNode;
    }).config;
  tracedNodes = lib.mapAttrs (_: tracedNodeIn) {
    local = { collector = "local"; };
    host = { collector = "host"; };
    remote = { collector = "remote"; remoteHost = "server"; };
  };
  tracedNodeSessions = lib.mapAttrs (_: node: {
    endpoint = node.environment.sessionVariables.OTEL_EXPORTER_OTLP_ENDPOINT;
    spool = node.environment.sessionVariables.NIXOTEL_SPOOL_DIR;
    alloy = node.services.grafana-alloy.enable;
    emitter = lib.any (pkg: lib.getName pkg == "emit-test-span") node.environment.systemPackages;
    failed = map (a: a.message) (lib.filter (a: !a.assertion) node.assertions);
  }) tracedNodes;
  expectedSessions = lib.mapAttrs (mode: endpoint: {
    inherit endpoint;
    spool = (import ./lib/constants.nix).spoolDir;
    alloy = mode == "local";
    emitter = true;
    failed = [ ];
  }) {
    local = "http://localhost:4318";
    host = "http://10.0.2.2:4318";
    remote = "http://server:4318";
  };
in
{
  alloy-config-golden = pkgs.runCommand "alloy-config-golden" { } ''
    ${lib.concatMapStrings (name: ''
      diff -u ${goldenDir + "/${name}.alloy"} ${pkgs.writeText "${name}.alloy" (renderAlloyConfig cases.${name})}
    '') (lib.attrNames cases)}
    touch $out
  '';

  grafana-alloy-module =
    if failedAssertions != [ ] then
      throw "grafana-alloy-module check: ${lib.concatStringsSep "\n" failedAssertions}"
    else if !userinfoRefused then
      throw "grafana-alloy-module check: a Loki URL with user:password@ was not refused by an assertion"
    else
      pkgs.runCommand "grafana-alloy-module" { } ''
        unit=${unitDir}/grafana-alloy.service
        # The test's own session variables win over the module's defaults.
        test ${lib.escapeShellArg exampleSystem.config.environment.sessionVariables.OTEL_SERVICE_NAME} = "a-service-of-the-test's-own"
        grep -q '^LoadCredential=remote-password:/run/secrets/otlp-token$' "$unit"
        grep -q '^DynamicUser=true$' "$unit"
        grep -q 'otelcol.exporter.debug' ${exampleSystem.config.environment.etc."grafana-alloy/config.alloy".source}
        # The debug exporter is experimental: the unit must run Alloy at that stability level.
        grep -q -- '--stability.level=experimental' ${exampleSystem.config.systemd.services.grafana-alloy.serviceConfig.ExecStart}
        touch $out
      '';

  traced-node-module =
    if tracedNodeSessions != expectedSessions then
      throw "traced-node-module check: expected ${builtins.toJSON expectedSessions}, got ${builtins.toJSON tracedNodeSessions}"
    else
      pkgs.runCommand "traced-node-module" { } "touch $out";

  emit-test-span = self.packages.${system}.emit-test-span;
}
