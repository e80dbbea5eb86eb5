{{!-- nixotel-template
description: One node, no collector in the VM; spans go to the host's collector (10.0.2.2:4318) and the spool.
nodes: machine
--}}
# {{name}}: a lean traced NixOS test. The VM runs no collector: its spans go to the host's OTLP endpoint
# (10.0.2.2 is the host when the driver runs outside the sandbox) and, always, to the shared spool that
# the nixotel prelude moves into $out/otel.
{{> test-head}}

  nodes.machine =
    { pkgs, ... }:
    {
      # The emitter and the OTLP session variables, pointed at the host's collector (10.0.2.2:4318);
      # every span is also kept in the shared spool.
      {{> traced-node collector="host"}}

      environment.systemPackages = [
        pkgs.curl
        pkgs.jq
{{#each nodes.machine.packages}}
        {{pkg this}}
{{/each}}
      ];

      {{> node-vm nodes.machine}}
    };

  {{> test-script-opening}}
    machine.start()

    with subtest("machine boots"):
        # The system reached its normal target: the test has something to observe.
        machine.wait_for_unit("multi-user.target")

    with subtest("span is recorded"):
        # Without a collector the emitter still exits 0 and keeps the span in the spool.
        machine.succeed({{py (shell "emit_test_span.sh" "--suite" suite name "passed" "1")}})
        machine.succeed({{py (shell "grep" "-rqF" spanName nodes.machine.spoolDir)}})
  '';
}
