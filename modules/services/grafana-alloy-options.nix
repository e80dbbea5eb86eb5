# Options of services.grafana-alloy (the implementation is in ./grafana-alloy.nix).
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  shared = import ../lib/constants.nix;

  # A path read at run time, typed as a string so that a Nix path literal (which would be copied
  # into the world-readable store) is rejected at evaluation.
  runtimeFile = types.nullOr (types.strMatching "/.+");

  # A user and a password file, for the OTLP remote or a Prometheus-style HTTP endpoint (loki.write,
  # prometheus.remote_write), whose files Alloy reads at every request through systemd credentials.
  basicAuthOptions =
    {
      exampleUser,
      userDescription,
      examplePasswordFile,
      passwordDescription,
    }:
    {
      username = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = exampleUser;
        description = userDescription;
      };
      passwordFile = mkOption {
        type = runtimeFile;
        default = null;
        example = examplePasswordFile;
        description = passwordDescription;
      };
    };
  httpBasicAuthOptions =
    what: examplePasswordFile:
    basicAuthOptions {
      exampleUser = "tenant-1";
      userDescription = "Basic-auth user for ${what}.";
      inherit examplePasswordFile;
      passwordDescription = "File holding the ${what} basic-auth password, passed to the unit as a systemd credential and read by Alloy at every request (surrounding whitespace is trimmed).";
    };
  bearerTokenFileOption =
    what: example:
    mkOption {
      type = runtimeFile;
      default = null;
      inherit example;
      description = "File holding a bearer token for ${what} (sent as `Authorization: Bearer …`), passed as a systemd credential and read by Alloy at every request. Not together with basic auth.";
    };
in
{
  options.services.grafana-alloy = {
    enable = lib.mkEnableOption "Grafana Alloy as an OTLP collector for the spans of NixOS VM tests (unit grafana-alloy.service)";

    package = lib.mkPackageOption pkgs "grafana-alloy" { };

    listenAddress = mkOption {
      type = types.str;
      default = "127.0.0.1";
      example = "0.0.0.0";
      description = "Address the OTLP receivers listen on. Loopback keeps the collector private to the VM; use `0.0.0.0` (with `openFirewall`) when other nodes send spans to this one.";
    };

    otlpPort = mkOption {
      type = types.port;
      default = 4318;
      description = "Port of the OTLP/HTTP receiver, the OpenTelemetry default that emit_test_span.sh and SDKs use.";
    };

    grpcPort = mkOption {
      type = types.nullOr types.port;
      default = null;
      example = 4317;
      description = "Port of an additional OTLP/gRPC receiver, for SDKs that only speak gRPC. `null` leaves gRPC off.";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open the OTLP ports in the firewall, so that other VMs of a multi-node test can send spans here.";
    };

    ui = {
      address = mkOption {
        type = types.str;
        default = "127.0.0.1";
        description = "Address of Alloy's HTTP server (UI, `/metrics`, `/-/ready`). Tests query it from inside the VM, so loopback is enough.";
      };
      port = mkOption {
        type = types.port;
        default = 12345;
        description = "Port of Alloy's HTTP server; `curl -s http://localhost:12345/metrics | grep otlp` shows the receiver's counters.";
      };
    };

    remote = {
      endpoint = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "https://otlp-gateway-prod-eu-west-2.grafana.net/otlp";
        description = "Base URL of an OTLP/HTTP backend (Grafana Cloud, Tempo, any collector) to forward spans to; `/v1/traces` is appended. `null` keeps spans in the VM. Only reachable when the test runs outside the Nix sandbox. No `user:password@` in it: use `basicAuth`.";
      };
      headersFile = mkOption {
        type = runtimeFile;
        default = null;
        example = "/run/secrets/otlp-headers.json";
        description = ''
          File holding a JSON object of extra HTTP headers for the remote, e.g. `{"X-Scope-OrgID": "tests"}`.
          Read at run time through a systemd credential, so it never enters the Nix store. Alloy shows
          header values in its UI: put secrets in `basicAuth` instead.
        '';
      };
      basicAuth = basicAuthOptions {
        exampleUser = "123456";
        userDescription = "Basic-auth user for the remote (on Grafana Cloud: the stack's OTLP instance ID).";
        examplePasswordFile = "/run/secrets/grafana-cloud-token";
        passwordDescription = "File holding the basic-auth password or token, read at service start through a systemd credential (never copied into the Nix store); a trailing newline is ignored.";
      };
    };

    spanMetrics = {
      enable = mkOption {
        type = types.bool;
        default = false;
        description = "Derive request/error/duration metrics from the test spans (spanmetrics connector), so dashboards can chart pass rates and durations per test.";
      };
      remoteWriteUrl = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "http://mimir.lan:9009/api/v1/push";
        description = "Prometheus remote-write URL (Mimir, Prometheus) for the span metrics. `null` sends them over OTLP to `remote.endpoint` with the traces. No `user:password@` in it: use the credential options below.";
      };
      remoteWriteBasicAuth = httpBasicAuthOptions "remote write" "/run/secrets/mimir-password";
      remoteWriteBearerTokenFile = bearerTokenFileOption "remote write" "/run/secrets/mimir-token";
      dimensions = mkOption {
        type = types.listOf types.str;
        default = shared.spanMetricDimensions;
        description = "Span attributes that become metric labels, beside service, span name, kind and status. Keep them low-cardinality (attributes that differ per run or per command, such as `nixos.test.action.target` or `nix.drv_path`, are refused); `cicd.pipeline.task.type` lets dashboards count test checks apart from subtests, `nix.cached` (`true` on a check nix did not rebuild, re-exported by every run) lets them leave cached results out, `nixotel.role`, `nixos.test.action` and `cicd.pipeline.task.name` give driver actions per verb and check, `nixotel.flaky`, `nixotel.attempt` and `nixotel.quarantined` flaky checks and retries.";
      };
    };

    logs = {
      lokiUrl = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "http://loki.lan:3100/loki/api/v1/push";
        description = "Loki push URL: when set, the VM's journal is shipped there with the labels `service_name`, `unit` and `host`, and the OTLP log records the receiver takes (`nixotel run`'s build logs) with `service_name`, `check` and `host` (through Alloy's Loki exporter; the line is a JSON object holding the body, trace and span ids), which the nixotel dashboard's logs panels query. No `user:password@` in it: use the credential options below.";
      };
      sendToRemote = mkOption {
        type = types.bool;
        default = false;
        description = "Also forward the OTLP log records the receiver takes to `remote.endpoint` (`/v1/logs` is appended), for a remote that stores logs: Grafana Cloud's OTLP gateway, an OpenTelemetry Collector, Loki's `/otlp`. Off by default because Tempo alone answers logs with 404. With neither this nor `lokiUrl`, the receiver takes no logs (`/v1/logs` answers 404).";
      };
      basicAuth = httpBasicAuthOptions "Loki" "/run/secrets/loki-password";
      bearerTokenFile = bearerTokenFileOption "Loki" "/run/secrets/loki-token";
    };

    debugLog = mkOption {
      type = types.bool;
      default = false;
      description = "Log every received span (name, attributes) to the journal, so that `journalctl -u grafana-alloy | grep NAME` proves a span arrived, whatever Alloy's `logging { level }`. Enables Alloy's experimental components (the debug exporter is one).";
    };

    extraFlags = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--server.http.memory-addr=alloy.internal:12345" ];
      description = "Extra command-line flags for `alloy run`, appended after the ones this module sets.";
    };

    extraConfig = mkOption {
      type = types.lines;
      default = "";
      example = ''
        logging {
          level = "warn"
        }
      '';
      description = "Alloy configuration appended to the generated one; its components may use the generated ones (all labelled `nixotel`), e.g. `otelcol.processor.batch.nixotel.input`.";
    };
  }
  # serviceName, spoolDir, traceparentFile: the session variables this module sets as defaults.
  // import ../nixos/session-options.nix lib;
}
