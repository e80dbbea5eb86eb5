{{!-- nixotel-template
description: A client and a server on a VLAN; Alloy on the server receives spans from both nodes.
nodes: server, client
--}}
# {{name}}: a traced two-node NixOS test. The server runs Grafana Alloy and accepts OTLP from the VLAN;
# the client sends its spans across it, the server its own locally.
{{> test-head}}

  nodes.server =
    { pkgs, ... }:
    {
      # The emitter, the OTLP session variables and the spool; Alloy here receives on port 4318.
      {{> traced-node collector="local"}}
      # Listen on the VLAN too, and let the client through the firewall.
      services.grafana-alloy = {
        listenAddress = "0.0.0.0";
        openFirewall = true;
      };

      environment.systemPackages = [
        pkgs.curl
        pkgs.jq
{{#each nodes.server.packages}}
        {{pkg this}}
{{/each}}
      ];

      {{> node-vm nodes.server}}
    };

  nodes.client =
    { pkgs, ... }:
    {
      # The emitter and the OTLP session variables, pointed at the server's collector; "server" resolves
      # to its VLAN address through /etc/hosts, which the test framework writes.
      {{> traced-node collector="remote" remoteHost="server"}}

      environment.systemPackages = [
        pkgs.curl
{{#each nodes.client.packages}}
        {{pkg this}}
{{/each}}
      ];

      {{> node-vm nodes.client}}
    };

  {{> test-script-opening}}
    start_all()

    with subtest("collector is reachable over the VLAN"):
        # Alloy listens on all addresses, and the client can open a connection to it.
        server.wait_for_unit("grafana-alloy.service")
        server.wait_for_open_port(4318)
        client.wait_for_unit("multi-user.target")
        client.wait_until_succeeds("curl -s -o /dev/null http://server:4318/")

    with subtest("both nodes emit"):
        # --strict: each emitter fails unless the server's collector accepted its span.
        client.succeed({{py (shell "emit_test_span.sh" "--strict" "--suite" suite "--attr" "node=client" name "passed" "1")}})
        server.succeed({{py (shell "emit_test_span.sh" "--strict" "--suite" suite "--attr" "node=server" name "passed" "1")}})

    with subtest("server received both spans"):
        # The receiver's counter reaches 2 only when the spans of both nodes arrived.
        server.wait_until_succeeds(
            "curl -sf http://localhost:12345/metrics | grep -E '^otelcol_receiver_accepted_spans_total.* ([2-9]|[1-9][0-9]+)$'"
        )
  '';
}
