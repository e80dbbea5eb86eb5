# Cheap flake checks (no VM): the Alloy config matches its golden files, the NixOS module evaluates
# with its assertions passing (and refusing a URL with userinfo) and renders the unit the seed's
# commands expect, the emitter builds
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
    # What nixotel's templates set themselves: must merge with the module's defaults, not conflict.
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

  emit-test-span = self.packages.${system}.emit-test-span;
}
