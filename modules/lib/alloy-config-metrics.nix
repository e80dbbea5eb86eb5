# The span-metrics section of the Alloy configuration: resource normalisation, the spanmetrics
# connector, and (with a remote-write URL) the Prometheus exporter and remote write.
# Pure Nix (builtins only); `plan` comes from ./alloy-plan.nix.
plan:
let
  inherit (import ./alloy-blocks.nix)
    attr
    block
    string
    array
    stringArray
    value
    httpClientAuth
    ;
  inherit (plan) label;

  # keep_keys(attributes, ["service.name"]) on every resource: spans from different hosts, commits
  # and runs then share one resource, so each label set is one series (OTTL, resource context).
  keepKeys = "keep_keys(attributes, ${builtins.toJSON plan.spanMetricsResourceKeys})";

  transform = block "otelcol.processor.transform" label [
    (block "trace_statements" null [
      (attr "context" (string "resource"))
      (attr "statements" (stringArray [ keepKeys ]))
    ])
    (block "output" null [ (attr "traces" (array [ "otelcol.connector.spanmetrics.${label}.input" ])) ])
  ];

  connector = block "otelcol.connector.spanmetrics" label (
    # Flush often: a VM test lives for seconds to minutes, not for the 60s default.
    [ (attr "metrics_flush_interval" (string "5s")) ]
    ++ map (name: block "dimension" null [ (attr "name" (string name)) ]) plan.dimensions
    ++ [
      (block "histogram" null [
        # Seconds, not Alloy's default ms: Prometheus names end in _duration_seconds_bucket.
        (attr "unit" (string "s"))
        (block "explicit" null [
          (attr "buckets" (
            stringArray [
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
              if plan.metricsViaRemoteWrite then
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
    (block "endpoint" null (
      [ (attr "url" (value plan.remoteWriteUrl)) ] ++ httpClientAuth plan.remoteWriteAuth
    ))
  ];
in
if !plan.metricsEnabled then
  [ ]
else
  [
    transform
    connector
  ]
  ++ (
    if plan.metricsViaRemoteWrite then
      [
        prometheusExporter
        remoteWrite
      ]
    else
      [ ]
  )
