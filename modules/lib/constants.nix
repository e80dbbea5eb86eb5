# The values Nix shares with TypeScript and the testScript prelude, read from ./constants.json (the one
# place they are written), plus the VM paths Nix derives from them. Pure Nix (builtins only).
let
  shared = builtins.fromJSON (builtins.readFile ./constants.json);
  inherit (shared) sharedFolder;
in
{
  inherit (shared) serviceName sharedFolder spanMetricDimensions;

  # VM side of the folder the test driver shares with the host (the host side is machine.shared_dir):
  # what the emitter writes there reaches the prelude even inside the build sandbox.
  spoolDir = "${sharedFolder.vm}/${sharedFolder.spool}";
  traceparentFile = "${sharedFolder.vm}/${sharedFolder.traceparent}";

  # What the prelude reads (nixotel_begin's constants_json): the default service name and the shared
  # folder's entries, which it finds under machine.shared_dir.
  prelude = { inherit (shared) serviceName sharedFolder; };
}
