# Renders the Alloy configuration of services.grafana-alloy from its option values.
# Pure Nix (builtins only): evaluated offline by tests/nix/alloy-config.test.ts against golden files.
# Accepts the module's whole `cfg` (unknown attributes are ignored); every key has the module's default.
{
  listenAddress ? "127.0.0.1",
  otlpPort ? 4318,
  grpcPort ? null,
  remote ? { },
  spanMetrics ? { },
  logs ? { },
  debugLog ? false,
  extraConfig ? "",
  ...
}:
let
  syntax = import ./alloy-syntax.nix;
  runtime = import ./alloy-runtime.nix;
  shared = import ./constants.nix;
  inherit (syntax)
    attr
    block
    string
    array
    ;

  label = "nixotel";
  endpoint = remote.endpoint or null;
  headersFile = remote.headersFile or null;
  basicAuth = remote.basicAuth or { };
  username = basicAuth.username or null;
  passwordFile = basicAuth.passwordFile or null;
  # The module reads passwordFile into the environment at start; the host-side collector
  # (modules/lib/alloy-collector.nix) passes `password = { env = …; }` itself.
  password =
    basicAuth.password or (if passwordFile != null then { env = runtime.passwordEnvVar; } else null);
  metricsEnabled = spanMetrics.enable or false;
  remoteWriteUrl = spanMetrics.remoteWriteUrl or null;
  dimensions = spanMetrics.dimensions or shared.spanMetricDimensions;
  lokiUrl = logs.lokiUrl or null;
  logsService = logs.serviceName or shared.serviceName;

  hasRemote = endpoint != null;
  hasBasicAuth = hasRemote && username != null && password != null;
  # Without a remote-write URL, span metrics go out over OTLP with the traces (Grafana Cloud's
  # OTLP gateway and Mimir's OTLP endpoint accept both).
  metricsViaRemoteWrite = metricsEnabled && remoteWriteUrl != null;

  # A setting's value: a string literal, or `{ env = "NAME"; }` for a value Alloy reads from its
  # environment when it starts (how the host-side collector keeps endpoints and users out of the store).
  value = v: if builtins.isAttrs v then "sys.env(${string v.env})" else string v;

  # Runtime paths and values, resolved by Alloy when it starts: nothing secret is rendered here.
  credentialPath = id: ''sys.env("CREDENTIALS_DIRECTORY") + ${string "/${id}"}'';

  receiver = block "otelcol.receiver.otlp" label [
    (block "http" null [ (attr "endpoint" (string (syntax.hostPort listenAddress otlpPort))) ])
    (
      if grpcPort == null then
        null
      else
        block "grpc" null [ (attr "endpoint" (string (syntax.hostPort listenAddress grpcPort))) ]
    )
    (block "output" null [ (attr "traces" (array [ "otelcol.processor.batch.${label}.input" ])) ])
  ];

  traceConsumers =
    (if hasRemote then [ "otelcol.exporter.otlphttp.${label}.input" ] else [ ])
    ++ (if metricsEnabled then [ "otelcol.connector.spanmetrics.${label}.input" ] else [ ])
    ++ (if debugLog then [ "otelcol.exporter.debug.${label}.input" ] else [ ]);

  batch = block "otelcol.processor.batch" label [
    (block "output" null [ (attr "traces" (array traceConsumers)) ])
  ];

  headersFileComponent = block "local.file" "${label}_remote_headers" [
    (attr "filename" (credentialPath runtime.headersCredential))
    (attr "is_secret" "true")
  ];

  basicAuthComponent = block "otelcol.auth.basic" label [
    (attr "username" (value username))
    (attr "password" (value password))
  ];

  exporter = block "otelcol.exporter.otlphttp" label [
    (block "client" null [
      (attr "endpoint" (value endpoint))
      (if hasBasicAuth then attr "auth" "otelcol.auth.basic.${label}.handler" else null)
      (
        if headersFile == null then
          null
        # A JSON object {"Header-Name": "value"}; Alloy's `headers` is map(string), not secret.
        else
          attr "headers" "encoding.from_json(convert.nonsensitive(local.file.${label}_remote_headers.content))"
      )
    ])
  ];

  spanMetricsConnector = block "otelcol.connector.spanmetrics" label (
    # Flush often: a VM test lives for seconds to minutes, not for the 60s default.
    [ (attr "metrics_flush_interval" (string "5s")) ]
    ++ map (name: block "dimension" null [ (attr "name" (string name)) ]) dimensions
    ++ [
      (block "histogram" null [
        # Seconds, not Alloy's default ms: Prometheus names end in _duration_seconds_bucket.
        (attr "unit" (string "s"))
        (block "explicit" null [
          (attr "buckets" (
            syntax.stringArray [
              "100ms"
              "1s"
              "5s"
              "10s"
              "30s"
              "1m"
              "2m"
              "5m"
              "10m"
              "30m"
            ]
          ))
        ])
      ])
      (block "output" null [
        (attr "metrics" (
          array [
            (
              if metricsViaRemoteWrite then
                "otelcol.exporter.prometheus.${label}.input"
              else
                "otelcol.exporter.otlphttp.${label}.input"
            )
          ]
        ))
      ])
    ]
  );

  prometheusExporter = block "otelcol.exporter.prometheus" label [
    (attr "forward_to" (array [ "prometheus.remote_write.${label}.receiver" ]))
  ];

  remoteWrite = block "prometheus.remote_write" label [
    (block "endpoint" null [ (attr "url" (value remoteWriteUrl)) ])
  ];

  # The VM's journal to Loki, labelled service_name / unit / host (the dashboard's logs panel).
  journalRelabel = block "loki.relabel" "${label}_journal" [
    (attr "forward_to" (array [ ]))
    (block "rule" null [
      (attr "source_labels" (syntax.stringArray [ "__journal__systemd_unit" ]))
      (attr "target_label" (string "unit"))
    ])
    (block "rule" null [
      (attr "source_labels" (syntax.stringArray [ "__journal__hostname" ]))
      (attr "target_label" (string "host"))
    ])
  ];
  journalSource = block "loki.source.journal" label [
    (attr "forward_to" (array [ "loki.write.${label}.receiver" ]))
    (attr "relabel_rules" "loki.relabel.${label}_journal.rules")
    (attr "labels" "{ service_name = ${string logsService} }")
  ];
  lokiWrite = block "loki.write" label [
    (block "endpoint" null [ (attr "url" (value lokiUrl)) ])
  ];

  # Logs every received span with its name and attributes to stderr, hence to the journal.
  debugExporter = block "otelcol.exporter.debug" label [ (attr "verbosity" (string "detailed")) ];

  sections = [
    "// Generated by nixotel (modules/lib/alloy-config.nix). Do not edit: set services.grafana-alloy options."
    receiver
    batch
  ]
  ++ (if hasRemote && headersFile != null then [ headersFileComponent ] else [ ])
  ++ (if hasBasicAuth then [ basicAuthComponent ] else [ ])
  ++ (if hasRemote then [ exporter ] else [ ])
  ++ (if metricsEnabled then [ spanMetricsConnector ] else [ ])
  ++ (
    if metricsViaRemoteWrite then
      [
        prometheusExporter
        remoteWrite
      ]
    else
      [ ]
  )
  ++ (
    if lokiUrl != null then
      [
        journalRelabel
        journalSource
        lokiWrite
      ]
    else
      [ ]
  )
  ++ (if debugLog then [ debugExporter ] else [ ])
  ++ (if extraConfig == "" then [ ] else [ extraConfig ]);
in
if metricsEnabled && !hasRemote && remoteWriteUrl == null then
  throw "services.grafana-alloy.spanMetrics: expected spanMetrics.remoteWriteUrl or remote.endpoint to be set (somewhere to send the metrics), got neither; set one of them or spanMetrics.enable = false."
else
  let
    text = builtins.concatStringsSep "\n\n" sections;
    endsWithNewline = builtins.match ".*\n" text != null;
  in
  if endsWithNewline then text else text + "\n"
