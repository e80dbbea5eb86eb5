{{!-- nixotel-template
description: One node running Grafana Alloy; emits a span with emit_test_span.sh and proves Alloy received it.
nodes: machine
--}}
# {{name}}: a NixOS test traced with OpenTelemetry. Alloy receives OTLP on port 4318 inside the VM;
# every subtest is a span (the nixotel prelude), and the trace leaves the build in $out/otel.
{{> test-head}}

  nodes.machine =
    { pkgs, ... }:
    {
      # The emitter, the OTLP session variables and the spool; Alloy in the VM receives on port 4318.
      {{> traced-node collector="local"}}
      services.grafana-alloy = {
        # Received spans are logged to the journal, so the test can find them by name.
        debugLog = true;
      };

      environment.systemPackages = [
        pkgs.curl
        pkgs.jq
        pkgs.openssl
{{#each nodes.machine.packages}}
        {{pkg this}}
{{/each}}
      ];

      {{> node-vm nodes.machine}}
    };

  {{> test-script-opening}}
    start_all()

    with subtest("collector is listening"):
        # Alloy's unit is up and its OTLP/HTTP receiver accepts connections.
        machine.wait_for_unit("grafana-alloy.service")
        machine.wait_for_open_port(4318)

    with subtest("span is emitted"):
        # --strict makes the emitter fail unless the collector accepted the span.
        machine.succeed({{py (shell "emit_test_span.sh" "--strict" "--suite" suite name "passed" "1")}})

    with subtest("span is received"):
        # Alloy counts what its receiver accepted: proof the span arrived, not just that it was sent.
        machine.wait_until_succeeds(
            "curl -sf http://localhost:12345/metrics | grep -E '^otelcol_receiver_accepted_spans_total.* [1-9]'"
        )
        # The debug exporter logged the span by name.
        machine.wait_until_succeeds({{py (pipe (shell "journalctl" "-u" "grafana-alloy") (shell "grep" "-F" spanName))}})
  '';
}
