# Pieces of Alloy configuration shared by the renderer's sections (./alloy-config*.nix), with the
# syntax helpers of ./alloy-syntax.nix, so a section needs one import. Pure Nix (builtins only).
let
  syntax = import ./alloy-syntax.nix;
  inherit (syntax) attr block string;
in
syntax
// rec {
  # A setting's value: a string literal, or `{ env = "NAME"; }` for a value Alloy reads from its
  # environment when it starts (how the host-side collector keeps endpoints and users out of the store).
  value = v: if builtins.isAttrs v then "sys.env(${string v.env})" else string v;

  # The path of a systemd credential, resolved by Alloy when it starts: nothing secret is rendered.
  credentialPath = id: ''sys.env("CREDENTIALS_DIRECTORY") + ${string "/${id}"}'';

  # The authentication lines of a loki.write / prometheus.remote_write `endpoint` block, from an
  # auth record of ./alloy-plan.nix (files only: Alloy reads them at every request).
  httpClientAuth =
    auth:
    [
      (
        if auth.passwordCredential == null then
          null
        else
          block "basic_auth" null [
            (attr "username" (value auth.username))
            (attr "password_file" (credentialPath auth.passwordCredential))
          ]
      )
      (
        if auth.bearerTokenCredential == null then
          null
        else
          attr "bearer_token_file" (credentialPath auth.bearerTokenCredential)
      )
    ];
}
