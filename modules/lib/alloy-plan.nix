# What the Alloy configuration of services.grafana-alloy consists of, decided once from the option
# values: which components exist, which consumes each signal, which credentials files the unit must
# pass, and the stability level Alloy has to run at. ./alloy-config.nix writes it out as text; the
# module takes its flags and credentials from here, so the two cannot disagree.
# Pure Nix (builtins only). Accepts the module's whole `cfg` (unknown attributes are ignored).
cfg:
let
  runtime = import ./alloy-runtime.nix;
  shared = import ./constants.nix;
  remote = cfg.remote or { };
  spanMetrics = cfg.spanMetrics or { };
  logs = cfg.logs or { };
  debugLog = cfg.debugLog or false;
  label = "nixotel";

  endpoint = remote.endpoint or null;
  basicAuth = remote.basicAuth or { };
  passwordFile = basicAuth.passwordFile or null;
  # The module reads passwordFile into the environment at start; the host-side collector
  # (./alloy-collector.nix) passes `password = { env = …; }` itself.
  password =
    basicAuth.password or (if passwordFile != null then { env = runtime.passwordEnvVar; } else null);
  hasRemote = endpoint != null;
  metricsEnabled = spanMetrics.enable or false;
  remoteWriteUrl = spanMetrics.remoteWriteUrl or null;
  metricsViaRemoteWrite = metricsEnabled && remoteWriteUrl != null;
  lokiUrl = logs.lokiUrl or null;
  logsToRemote = hasRemote && (logs.sendToRemote or false);

  # Consumers of the batched OTLP log records: the remote (when asked) and the Loki path, whose first
  # component sets the label hints otelcol.exporter.loki reads (./alloy-config-logs.nix).
  logConsumers =
    (if logsToRemote then [ "otelcol.exporter.otlphttp.${label}.input" ] else [ ])
    ++ (if lokiUrl != null then [ "otelcol.processor.attributes.${label}_loki.input" ] else [ ]);

  # Credentials of a Prometheus-style HTTP client (loki.write, prometheus.remote_write endpoints):
  # basic auth with a password file, or a bearer token file, each passed as a systemd credential.
  httpClientAuth =
    {
      basicAuth,
      bearerTokenFile,
      passwordCredential,
      bearerTokenCredential,
    }:
    {
      username = basicAuth.username or null;
      passwordCredential = if (basicAuth.passwordFile or null) != null then passwordCredential else null;
      bearerTokenCredential = if bearerTokenFile != null then bearerTokenCredential else null;
      credentials =
        (
          if (basicAuth.passwordFile or null) != null then
            [
              {
                id = passwordCredential;
                file = basicAuth.passwordFile;
              }
            ]
          else
            [ ]
        )
        ++ (
          if bearerTokenFile != null then
            [
              {
                id = bearerTokenCredential;
                file = bearerTokenFile;
              }
            ]
          else
            [ ]
        );
    };

  # Consumers of the batched spans other than the debug exporter.
  forwardingConsumers =
    (if hasRemote then [ "otelcol.exporter.otlphttp.${label}.input" ] else [ ])
    # Span metrics read spans whose resource is cut down to the series-stable keys first.
    ++ (if metricsEnabled then [ "otelcol.processor.transform.${label}.input" ] else [ ]);

  # An otelcol processor with an empty consumer list refuses the signal (it builds no consumer and
  # answers pipeline.ErrSignalNotSupported), so when nothing else takes the spans the debug exporter
  # does: at "basic" it prints one line per batch, at "detailed" (debugLog) every span.
  debugVerbosity =
    if debugLog then
      "detailed"
    else if forwardingConsumers == [ ] then
      "basic"
    else
      null;
in
rec {
  inherit
    label
    endpoint
    password
    hasRemote
    metricsEnabled
    remoteWriteUrl
    metricsViaRemoteWrite
    lokiUrl
    logsToRemote
    logConsumers
    debugVerbosity
    ;
  headersFile = if hasRemote then remote.headersFile or null else null;
  username = basicAuth.username or null;
  hasBasicAuth = hasRemote && username != null && password != null;
  dimensions = spanMetrics.dimensions or shared.spanMetricDimensions;
  logsService = logs.serviceName or shared.serviceName;
  # The receiver takes OTLP logs only when something consumes them: with no consumer Alloy builds no
  # logs receiver, so `/v1/logs` answers 404 instead of accepting records it would have to refuse.
  receivesLogs = logConsumers != [ ];

  # Loki labels of OTLP log records, the journal path's names (service_name, host; check for its unit):
  # label = the attribute it comes from, read from the record's resource or from the record itself.
  otlpLogLabels = {
    service_name = {
      resource = "service.name";
    };
    host = {
      resource = "host.name";
    };
    check = {
      record = "cicd.pipeline.task.name";
    };
  };

  # Resource keys the span metrics keep: service.name is their `service_name` label and the
  # `job` label otelcol.exporter.prometheus derives; host.name, vcs.* and the rest change from run
  # to run and would make series that differ only in resource collide on the remote-write path.
  spanMetricsResourceKeys = [ "service.name" ];

  traceConsumers =
    forwardingConsumers ++ (if debugVerbosity != null then [ "otelcol.exporter.debug.${label}.input" ] else [ ]);

  lokiAuth = httpClientAuth {
    basicAuth = logs.basicAuth or { };
    bearerTokenFile = logs.bearerTokenFile or null;
    passwordCredential = runtime.lokiPasswordCredential;
    bearerTokenCredential = runtime.lokiBearerTokenCredential;
  };
  remoteWriteAuth = httpClientAuth {
    basicAuth = spanMetrics.remoteWriteBasicAuth or { };
    bearerTokenFile = spanMetrics.remoteWriteBearerTokenFile or null;
    passwordCredential = runtime.remoteWritePasswordCredential;
    bearerTokenCredential = runtime.remoteWriteBearerTokenCredential;
  };

  # `--stability.level`: otelcol.exporter.debug is experimental, everything else rendered is GA.
  stabilityLevel = if debugVerbosity != null then "experimental" else "generally-available";

  # systemd LoadCredential= entries ({ id; file; }), for files the rendered config reads.
  credentials =
    (
      if hasRemote && passwordFile != null then
        [
          {
            id = runtime.passwordCredential;
            file = passwordFile;
          }
        ]
      else
        [ ]
    )
    ++ (
      if headersFile != null then
        [
          {
            id = runtime.headersCredential;
            file = headersFile;
          }
        ]
      else
        [ ]
    )
    ++ (if lokiUrl != null then lokiAuth.credentials else [ ])
    ++ (if metricsViaRemoteWrite then remoteWriteAuth.credentials else [ ]);
}
