start_all()

with subtest("machine boots"):
    machine.wait_for_unit("multi-user.target")
    machine.succeed("sleep 2")

with subtest("services settle"):
    machine.succeed("sleep 0.5")
