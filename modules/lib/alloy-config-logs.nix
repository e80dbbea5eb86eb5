# The logs section of the Alloy configuration: the VM's journal to Loki, labelled service_name /
# unit / host (the dashboard's logs panel). Pure Nix (builtins only); `plan` from ./alloy-plan.nix.
plan:
let
  syntax = import ./alloy-syntax.nix;
  blocks = import ./alloy-blocks.nix;
  inherit (syntax)
    attr
    block
    string
    array
    ;
  inherit (plan) label;

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
    (attr "labels" "{ service_name = ${string plan.logsService} }")
  ];
  lokiWrite = block "loki.write" label [
    (block "endpoint" null ([ (attr "url" (blocks.value plan.lokiUrl)) ] ++ blocks.httpClientAuth plan.lokiAuth))
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
