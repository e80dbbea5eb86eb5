# The assertions of services.grafana-alloy, as a pure function of its option values (builtins only),
# so they are tested offline (tests/nix/alloy-assertions.test.ts) and used as is by the module.
# Every message names the option and says what to change; none repeats a URL (it may hold a secret).
{
  cfg,
  # builtins.storeDir of the evaluating Nix ("/nix/store").
  storeDir,
  # Whether nixpkgs' services.alloy runs too (its UI port is 12345 as well).
  alloyServiceEnabled ? false,
}:
let
  opt = "services.grafana-alloy";
  isSet = v: v != null;
  remoteAuth = cfg.remote.basicAuth;
  lokiAuth = cfg.logs.basicAuth;
  writeAuth = cfg.spanMetrics.remoteWriteBasicAuth;

  # `scheme://user[:password]@host…` (or without scheme): userinfo before the first / ? or #.
  hasUserinfo = url: builtins.isString url && builtins.match "([A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@.*" url != null;

  urlOptions = [
    {
      name = "remote.endpoint";
      url = cfg.remote.endpoint;
      instead = "remote.basicAuth.username and remote.basicAuth.passwordFile (or remote.headersFile)";
    }
    {
      name = "spanMetrics.remoteWriteUrl";
      url = cfg.spanMetrics.remoteWriteUrl;
      instead = "spanMetrics.remoteWriteBasicAuth.username and spanMetrics.remoteWriteBasicAuth.passwordFile, or spanMetrics.remoteWriteBearerTokenFile";
    }
    {
      name = "logs.lokiUrl";
      url = cfg.logs.lokiUrl;
      instead = "logs.basicAuth.username and logs.basicAuth.passwordFile, or logs.bearerTokenFile";
    }
  ];

  credentialFiles = [
    remoteAuth.passwordFile
    cfg.remote.headersFile
    lokiAuth.passwordFile
    cfg.logs.bearerTokenFile
    writeAuth.passwordFile
    cfg.spanMetrics.remoteWriteBearerTokenFile
  ];

  # username and passwordFile of one basicAuth set go together.
  basicAuthPair = path: auth: {
    assertion = isSet auth.username == isSet auth.passwordFile;
    message = "${opt}.${path}: username and passwordFile go together; set both, or neither.";
  };

  # loki.write / prometheus.remote_write take at most one of basic_auth and bearer_token_file.
  oneHttpAuth = path: auth: tokenOption: token: {
    assertion = !(isSet auth.passwordFile && isSet token);
    message = "${opt}: ${path} and ${tokenOption} are both set, and Alloy accepts only one of them per endpoint; keep one.";
  };

  # Span attributes whose values differ per run, build or command: as span-metric dimensions each value
  # would be a series of its own (src/spans/vocabulary.ts names them; tests/nix hold the two to each other).
  perRunAttributes = [
    "nixos.test.action.target"
    "nix.drv_path"
    "nix.out_path"
    "nix.store_path"
    "cicd.pipeline.run.id"
    "nixotel.repetition"
    "nixotel.quarantine.reason"
    "log.tail"
    "vcs.ref.head.revision"
  ];
  dimensions = cfg.spanMetrics.dimensions or [ ];
  perRunDimensions = builtins.filter (name: builtins.elem name perRunAttributes) dimensions;

  credentialsNeedUrl = what: credentials: urlOption: url: {
    assertion = builtins.any isSet credentials -> isSet url;
    message = "${opt}: ${what} credentials are set but ${urlOption} is null; set ${urlOption} to the URL they are for, or remove them.";
  };
in
map (option: {
  assertion = !hasUserinfo option.url;
  message = "${opt}.${option.name}: the URL carries credentials (user:password@), which would be written into config.alloy in the world-readable Nix store; remove them from the URL and set ${opt}.${option.instead} instead, which are read from files at run time.";
}) urlOptions
++ [
  (basicAuthPair "remote.basicAuth" remoteAuth)
  (basicAuthPair "logs.basicAuth" lokiAuth)
  (basicAuthPair "spanMetrics.remoteWriteBasicAuth" writeAuth)
  (oneHttpAuth "logs.basicAuth" lokiAuth "logs.bearerTokenFile" cfg.logs.bearerTokenFile)
  (oneHttpAuth "spanMetrics.remoteWriteBasicAuth" writeAuth "spanMetrics.remoteWriteBearerTokenFile"
    cfg.spanMetrics.remoteWriteBearerTokenFile
  )
  (credentialsNeedUrl "remote" [ remoteAuth.passwordFile cfg.remote.headersFile ] "remote.endpoint"
    cfg.remote.endpoint
  )
  (credentialsNeedUrl "Loki" [ lokiAuth.passwordFile cfg.logs.bearerTokenFile ] "logs.lokiUrl"
    cfg.logs.lokiUrl
  )
  (credentialsNeedUrl "remote-write" [
    writeAuth.passwordFile
    cfg.spanMetrics.remoteWriteBearerTokenFile
  ] "spanMetrics.remoteWriteUrl" cfg.spanMetrics.remoteWriteUrl)
  {
    assertion = cfg.spanMetrics.enable -> (isSet cfg.spanMetrics.remoteWriteUrl || isSet cfg.remote.endpoint);
    message = "${opt}.spanMetrics.enable needs somewhere to send metrics: set spanMetrics.remoteWriteUrl (Prometheus remote write) or remote.endpoint (OTLP).";
  }
  {
    assertion = (cfg.logs.sendToRemote or false) -> isSet cfg.remote.endpoint;
    message = "${opt}.logs.sendToRemote is true but remote.endpoint is null; set remote.endpoint to an OTLP backend that stores logs, or set logs.sendToRemote = false.";
  }
  {
    assertion = perRunDimensions == [ ];
    message = "${opt}.spanMetrics.dimensions: ${builtins.concatStringsSep ", " perRunDimensions} differ per run, build or command, so each value would become a metric series of its own; remove them from the list (they stay on the spans, for Tempo).";
  }
  {
    assertion = builtins.all (file: file == null || builtins.substring 0 (builtins.stringLength storeDir) file != storeDir) credentialFiles;
    message = "${opt}: a credentials file lies in the world-readable Nix store; keep it outside (e.g. /run/secrets/…, written by sops-nix or agenix).";
  }
  {
    assertion = cfg.grpcPort != cfg.otlpPort;
    message = "${opt}.grpcPort equals otlpPort (${toString cfg.otlpPort}); give gRPC its own port, e.g. 4317, or set grpcPort = null.";
  }
  {
    # Both units would bind Alloy's HTTP server to the same address.
    assertion = alloyServiceEnabled -> cfg.ui.port != 12345;
    message = "${opt} and services.alloy both serve Alloy's UI on port 12345; set ${opt}.ui.port to a free port, or disable services.alloy.";
  }
]
