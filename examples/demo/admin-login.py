start_all()

with subtest("machine boots"):
    machine.wait_for_unit("multi-user.target")

# Fails on purpose, so the demo shows how a failure is reported.
with subtest("admin can log in"):
    machine.succeed('bash "$EMITTER" --suite web login-attempt failed 40')
    machine.succeed("echo 'HTTP 401 Unauthorized' >&2; exit 22")
