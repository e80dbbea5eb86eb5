{{!-- nixotel-template
description: One node, no collector in the VM; spans go to the host's collector (10.0.2.2:4318) and the spool.
nodes: machine
--}}
# {{name}}: a lean traced NixOS test. The VM runs no collector: its spans go to the host's OTLP endpoint
# (10.0.2.2 is the host when the driver runs outside the sandbox) and, always, to the shared spool that
# the nixotel prelude moves into $out/otel.
{ nixotel, lib, ... }:

{
  {{> test-meta}}

  nodes.machine =
    { pkgs, ... }:
    {
      environment.sessionVariables = {
        OTEL_EXPORTER_OTLP_ENDPOINT = "http://10.0.2.2:4318";
        OTEL_SERVICE_NAME = {{nix serviceName}};
        # Where the emitter keeps a copy of every span, and where it finds the current subtest's context.
        NIXOTEL_SPOOL_DIR = "/tmp/shared/nixotel-spans";
        NIXOTEL_TRACEPARENT_FILE = "/tmp/shared/nixotel-traceparent";
      };

      environment.systemPackages = [
        nixotel.packages.emit-test-span
        pkgs.curl
        pkgs.jq
{{#each nodes.machine.packages}}
        {{pkg this}}
{{/each}}
      ];

      virtualisation.memorySize = {{nodes.machine.memoryMb}};
      virtualisation.cores = {{nodes.machine.cores}};
    };

  {{> test-script-opening}}
    machine.start()

    with subtest("machine boots"):
        # The system reached its normal target: the test has something to observe.
        machine.wait_for_unit("multi-user.target")

    with subtest("span is recorded"):
        # Without a collector the emitter still exits 0 and keeps the span in the spool.
        machine.succeed({{py (shell "emit_test_span.sh" "--suite" suite name "passed" "1")}})
        machine.succeed({{py (shell "grep" "-rqF" spanName "/tmp/shared/nixotel-spans/")}})
  '';
}
