# The logs section of the Alloy configuration, both paths to one loki.write: the VM's journal, and the
# OTLP log records the receiver takes (nixotel run's build logs), each labelled service_name / host and
# unit (journal) or check (OTLP), the labels the dashboard's logs panels query.
# Pure Nix (builtins only); `plan` from ./alloy-plan.nix.
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
  inherit (plan) label otlpLogLabels;
  names = builtins.attrNames otlpLogLabels;
  from = where: builtins.filter (name: otlpLogLabels.${name} ? ${where}) names;
  hintList = where: builtins.concatStringsSep "," (map (name: otlpLogLabels.${name}.${where}) (from where));
  # otelcol.exporter.loki names a promoted attribute's label as Prometheus would (dots → underscores).
  promotedName = attribute: builtins.replaceStrings [ "." ] [ "_" ] attribute;

  journalRelabel = block "loki.relabel" "${label}_journal" [
    (attr "forward_to" (array [ ]))
    (block "rule" null [
      (attr "source_labels" (stringArray [ "__journal__systemd_unit" ]))
      (attr "target_label" (string "unit"))
    ])
    (block "rule" null [
      (attr "source_labels" (stringArray [ "__journal__hostname" ]))
      (attr "target_label" (string "host"))
    ])
  ];
  journalSource = block "loki.source.journal" label [
    (attr "forward_to" (array [ "loki.write.${label}.receiver" ]))
    (attr "relabel_rules" "loki.relabel.${label}_journal.rules")
    (attr "labels" "{ service_name = ${string plan.logsService} }")
  ];

  # otelcol.exporter.loki (contrib's pkg/translator/loki) makes labels of the attributes these hints
  # name, from the resource (loki.resource.labels) or the record (loki.attribute.labels), plus
  # exporter, job, instance and level of its own; the rest stays in the line, a JSON object with
  # body, traceid, spanid, severity, attributes and resources. upsert: a sender's own hint is replaced.
  hint = key: list: block "action" null [
    (attr "key" (string key))
    (attr "value" (string list))
    (attr "action" (string "upsert"))
  ];
  otlpHints = block "otelcol.processor.attributes" "${label}_loki" [
    (hint "loki.resource.labels" (hintList "resource"))
    (hint "loki.attribute.labels" (hintList "record"))
    (block "output" null [ (attr "logs" (array [ "otelcol.exporter.loki.${label}.input" ])) ])
  ];
  otlpToLoki = block "otelcol.exporter.loki" label [
    (attr "forward_to" (array [ "loki.relabel.${label}_otlp.receiver" ]))
  ];
  # Renames the promoted labels to the journal path's names and keeps only those and level: the
  # exporter's job (= service.name), exporter and instance would only add series.
  rename = name: attribute:
    if promotedName attribute == name then
      null
    else
      block "rule" null [
        (attr "source_labels" (stringArray [ (promotedName attribute) ]))
        (attr "target_label" (string name))
      ];
  otlpRelabel = block "loki.relabel" "${label}_otlp" (
    [ (attr "forward_to" (array [ "loki.write.${label}.receiver" ])) ]
    ++ map (name: rename name (otlpLogLabels.${name}.resource or otlpLogLabels.${name}.record)) names
    ++ [
      (block "rule" null [
        (attr "action" (string "labelkeep"))
        (attr "regex" (string (builtins.concatStringsSep "|" (names ++ [ "level" ]))))
      ])
    ]
  );

  lokiWrite = block "loki.write" label [
    (block "endpoint" null ([ (attr "url" (value plan.lokiUrl)) ] ++ httpClientAuth plan.lokiAuth))
  ];
in
if plan.lokiUrl == null then
  [ ]
else
  [
    journalRelabel
    journalSource
    otlpHints
    otlpToLoki
    otlpRelabel
    lokiWrite
  ]
