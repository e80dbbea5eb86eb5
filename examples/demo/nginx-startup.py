start_all()

with subtest("machine boots"):
    machine.wait_for_unit("multi-user.target")

with subtest("nginx serves the index"):
    with otel_span("first request", port=80):
        machine.succeed("sleep 0.3")
    # A span from inside the "VM", parented under this subtest through the shared traceparent file.
    machine.succeed('bash "$EMITTER" --suite web --attr status_code=200 curl-index passed 120')

with subtest("TLS handshake"):
    with subtest("certificate is valid"):
        machine.succeed("sleep 0.2")
