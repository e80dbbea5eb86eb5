# Names shared by the Alloy config renderer and the systemd unit that runs it, so that secrets
# are only ever referenced by where they appear at run time, never copied into the Nix store.
{
  # systemd LoadCredential= id of remote.basicAuth.passwordFile; the start script reads it into
  # `passwordEnvVar` (trailing newlines stripped) because Alloy cannot trim a `secret` value.
  passwordCredential = "remote-password";
  passwordEnvVar = "NIXOTEL_REMOTE_PASSWORD";
  # systemd LoadCredential= id of remote.headersFile, read by a `local.file` component.
  headersCredential = "remote-headers";
  # LoadCredential= ids of the Loki and remote-write credentials files. loki.write and
  # prometheus.remote_write read `password_file` / `bearer_token_file` themselves at every request
  # (prometheus/common's FileSecret, which trims surrounding whitespace).
  lokiPasswordCredential = "loki-password";
  lokiBearerTokenCredential = "loki-bearer-token";
  remoteWritePasswordCredential = "remote-write-password";
  remoteWriteBearerTokenCredential = "remote-write-bearer-token";
}
