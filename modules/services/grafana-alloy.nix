# services.grafana-alloy: an OTLP collector (Grafana Alloy) for NixOS VM tests, configured from typed
# options through the pure renderer in ../lib/alloy-config.nix.
#
# Why a unit of its own and not nixpkgs' services.alloy: that module names its unit alloy.service.
# An alias (systemd.services.alloy.aliases = [ "grafana-alloy.service" ]) would satisfy
# `systemctl status grafana-alloy` and `wait_for_unit("grafana-alloy.service")`, but journald stamps
# every line with _SYSTEMD_UNIT=alloy.service and `journalctl -u` matches that field without resolving
# aliases (https://github.com/systemd/systemd/issues/11846), so the seed's
# `journalctl -u grafana-alloy | grep NAME` would find nothing. The unit below is therefore built from
# the same pieces as nixpkgs' alloy unit (nixos/modules/services/monitoring/alloy.nix: same package,
# `alloy run <config dir>`, DynamicUser, state in /var/lib, reload by SIGHUP), under the name the seed uses.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.grafana-alloy;
  runtime = import ../lib/alloy-runtime.nix;
  settings = cfg // { logs = cfg.logs // { inherit (cfg) serviceName; }; };
  configText = import ../lib/alloy-config.nix settings;
  # What the config needs from the unit: its stability level and the credentials files it reads.
  plan = import ../lib/alloy-plan.nix settings;

  hasPassword = builtins.any (credential: credential.id == runtime.passwordCredential) plan.credentials;

  # Loopback-or-wildcard listeners are reached on localhost; anything else on its own address.
  clientHost =
    if
      builtins.elem cfg.listenAddress [
        "0.0.0.0"
        "127.0.0.1"
        "::"
        "::1"
      ]
    then
      "localhost"
    else if lib.hasInfix ":" cfg.listenAddress then
      "[${cfg.listenAddress}]"
    else
      cfg.listenAddress;

  uiListen =
    if lib.hasInfix ":" cfg.ui.address then
      "[${cfg.ui.address}]:${toString cfg.ui.port}"
    else
      "${cfg.ui.address}:${toString cfg.ui.port}";

  flags = [
    "--server.http.listen-addr=${uiListen}"
    "--disable-reporting"
  ]
  # otelcol.exporter.debug is an experimental component: Alloy refuses it without this flag.
  ++ lib.optional (plan.stabilityLevel != "generally-available") "--stability.level=${plan.stabilityLevel}"
  ++ cfg.extraFlags;

  # Reads the password credential into the environment at start: `$(<…)` drops the trailing newline
  # that `echo token > file` leaves, which Alloy could not trim from a `secret` value.
  startScript = pkgs.writeShellScript "grafana-alloy-start" ''
    ${lib.optionalString hasPassword ''
      ${runtime.passwordEnvVar}="$(< "$CREDENTIALS_DIRECTORY/${runtime.passwordCredential}")"
      export ${runtime.passwordEnvVar}
    ''}
    exec ${lib.getExe cfg.package} run /etc/grafana-alloy ${lib.escapeShellArgs flags}
  '';
in
{
  imports = [ ./grafana-alloy-options.nix ];

  config = lib.mkIf cfg.enable {
    assertions = import ../lib/alloy-assertions.nix {
      inherit cfg;
      inherit (builtins) storeDir;
      alloyServiceEnabled = config.services.alloy.enable or false;
    };

    environment.etc."grafana-alloy/config.alloy".text = configText;

    # Defaults only: a test that sets these itself (as nixotel's templates do) must not conflict.
    environment.sessionVariables = lib.mapAttrs (_: lib.mkDefault) (
      {
        OTEL_EXPORTER_OTLP_ENDPOINT = "http://${clientHost}:${toString cfg.otlpPort}";
        OTEL_SERVICE_NAME = cfg.serviceName;
      }
      // lib.optionalAttrs (cfg.spoolDir != null) { NIXOTEL_SPOOL_DIR = cfg.spoolDir; }
      // lib.optionalAttrs (cfg.traceparentFile != null) { NIXOTEL_TRACEPARENT_FILE = cfg.traceparentFile; }
    );

    networking.firewall.allowedTCPPorts = lib.mkIf cfg.openFirewall (
      [ cfg.otlpPort ] ++ lib.optional (cfg.grpcPort != null) cfg.grpcPort
    );

    systemd.services.grafana-alloy = {
      description = "Grafana Alloy OTLP collector (nixotel)";
      wantedBy = [ "multi-user.target" ];
      # Loopback listeners need no network; the exporter retries while a remote is unreachable.
      after = [ "network.target" ];
      reloadTriggers = [ config.environment.etc."grafana-alloy/config.alloy".source ];
      serviceConfig = {
        Type = "simple";
        ExecStart = startScript;
        ExecReload = "${pkgs.coreutils}/bin/kill -SIGHUP $MAINPID";
        Restart = "always";
        RestartSec = 2;
        DynamicUser = true;
        # Lets extraConfig forward the journal with loki.source.journal, as nixpkgs' alloy unit does.
        SupplementaryGroups = [ "systemd-journal" ];
        ConfigurationDirectory = "grafana-alloy";
        StateDirectory = "grafana-alloy";
        WorkingDirectory = "%S/grafana-alloy";
        # Secrets reach the DynamicUser through systemd credentials, never through the Nix store.
        LoadCredential = map (credential: "${credential.id}:${credential.file}") plan.credentials;
      };
    };
  };
}
