# Option sets for the golden files beside this file (<name>.alloy), shared by
# tests/nix/alloy-config.test.ts and the flake's `alloy-config-golden` check.
let
  collector = import ../../../modules/lib/alloy-collector.nix;
in
{
  # The module's defaults: receive on loopback, keep nothing.
  defaults = { };

  # The seed's setup: spans logged to the journal so `journalctl -u grafana-alloy | grep NAME` works.
  debug-log = {
    debugLog = true;
  };

  # Grafana Cloud: traces, logs and span metrics over OTLP with basic auth, gRPC open too.
  grafana-cloud = {
    listenAddress = "0.0.0.0";
    grpcPort = 4317;
    remote = {
      endpoint = "https://otlp-gateway-prod-eu-west-2.grafana.net/otlp";
      basicAuth = {
        username = "123456";
        passwordFile = "/run/secrets/grafana-cloud-token";
      };
    };
    spanMetrics.enable = true;
    logs.sendToRemote = true;
  };

  # Self-hosted LGTM: Tempo over OTLP with tenant headers, span metrics to Mimir's remote write.
  self-hosted-lgtm = {
    remote = {
      endpoint = "http://tempo.lan:4318";
      headersFile = "/run/secrets/tempo-headers.json";
    };
    spanMetrics = {
      enable = true;
      remoteWriteUrl = "http://mimir.lan:9009/api/v1/push";
      dimensions = [
        "test.case.name"
        "test.case.result.status"
      ];
    };
    logs.lokiUrl = "http://loki.lan:3100/loki/api/v1/push";
    debugLog = true;
    extraConfig = ''
      // Keep Alloy's own logs terse.
      logging {
        level = "warn"
      }
    '';
  };

  # debugLog under a terse `logging` block (the extraConfig example): span lines still reach the journal.
  debug-log-warn = {
    debugLog = true;
    extraConfig = ''
      logging {
        level = "warn"
      }
    '';
  };

  # Self-hosted Mimir and Loki behind basic auth, the passwords read from files at run time.
  basic-auth-files = {
    spanMetrics = {
      enable = true;
      remoteWriteUrl = "https://mimir.example.org/api/v1/push";
      remoteWriteBasicAuth = {
        username = "tenant-1";
        passwordFile = "/run/secrets/mimir-password";
      };
    };
    logs = {
      lokiUrl = "https://loki.example.org/loki/api/v1/push";
      basicAuth = {
        username = "tenant-1";
        passwordFile = "/run/secrets/loki-password";
      };
    };
  };

  # The same with bearer tokens read from files.
  bearer-token-files = {
    spanMetrics = {
      enable = true;
      remoteWriteUrl = "https://mimir.example.org/api/v1/push";
      remoteWriteBearerTokenFile = "/run/secrets/mimir-token";
    };
    logs = {
      lokiUrl = "https://loki.example.org/loki/api/v1/push";
      bearerTokenFile = "/run/secrets/loki-token";
    };
  };

  # IPv6 listen address and a custom port.
  ipv6 = {
    listenAddress = "::1";
    otlpPort = 14318;
  };

  # packages.alloy-collector on a CI host: every backend detail read from the environment.
  collector-otlp = collector.variants.otlp;
  collector-otlp-basic-auth = collector.variants.otlp-basic-auth;
  collector-remote-write = collector.variants.remote-write;
  collector-remote-write-basic-auth = collector.variants.remote-write-basic-auth;
}
