# Settings of the host-side collector (packages.alloy-collector): Alloy on a CI runner or laptop,
# between `nixotel run` and the backend, so that whole runs and checks become span metrics.
# Pure Nix (builtins only): the package renders these with ./alloy-config.nix, and
# tests/golden/alloy/cases.nix renders them against golden files offline.
#
# Nothing about the backend is rendered: endpoint, user, password and remote-write URL are read by
# Alloy from the environment when it starts (`sys.env`). Which of the four configurations runs is
# chosen at start by which variables are set (basic auth or not, remote write or OTLP metrics).
let
  runtime = import ./alloy-runtime.nix;
in
rec {
  env = {
    endpoint = "NIXOTEL_REMOTE_ENDPOINT";
    username = "NIXOTEL_REMOTE_USERNAME";
    # The same variable the module's start script fills from its credential.
    password = runtime.passwordEnvVar;
    remoteWriteUrl = "NIXOTEL_REMOTE_WRITE_URL";
  };

  settings =
    { basicAuth, remoteWrite }:
    {
      # Loopback: `nixotel run` on the same machine sends to http://localhost:4318.
      listenAddress = "127.0.0.1";
      otlpPort = 4318;
      remote = {
        endpoint.env = env.endpoint;
        basicAuth =
          if basicAuth then
            {
              username.env = env.username;
              password.env = env.password;
            }
          else
            { };
      };
      # nixotel run sends its build logs here too: forwarded to the remote with the spans.
      logs.sendToRemote = true;
      spanMetrics = {
        enable = true;
        remoteWriteUrl = if remoteWrite then { env = env.remoteWriteUrl; } else null;
      };
    };

  # Named after what is set besides the endpoint; the start script picks one by the same names.
  variants = {
    otlp = settings {
      basicAuth = false;
      remoteWrite = false;
    };
    otlp-basic-auth = settings {
      basicAuth = true;
      remoteWrite = false;
    };
    remote-write = settings {
      basicAuth = false;
      remoteWrite = true;
    };
    remote-write-basic-auth = settings {
      basicAuth = true;
      remoteWrite = true;
    };
  };
}
