# The logs section of the Alloy configuration: the VM's journal to Loki, labelled service_name /
# unit / host (the dashboard's logs panel). Pure Nix (builtins only); `plan` from ./alloy-plan.nix.
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
    lokiWrite
  ]
