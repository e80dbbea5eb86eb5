# MOCK of the NixOS module system, to evaluate modules/services/grafana-alloy.nix offline (there is no
# nixpkgs here). Option defaults come from grafana-alloy-options.nix through a stand-in `lib` whose
# mkOption keeps the declaration; the settings are laid over them, an unknown key is an error as in the
# module system; the module's `config` is computed with mkIf / mkDefault stand-ins. Option TYPES are
# not checked here: modules/checks.nix evaluates the real module with nixpkgs in CI.
{
  module,
  settings,
}:
let
  stubType = { };
  lib = {
    types = {
      str = stubType;
      bool = stubType;
      port = stubType;
      lines = stubType;
      listOf = _: stubType;
      nullOr = _: stubType;
      strMatching = _: stubType;
    };
    mkOption = declaration: declaration // { _isOption = true; };
    mkEnableOption = description: {
      _isOption = true;
      default = false;
      inherit description;
    };
    mkPackageOption = _pkgs: name: _: {
      _isOption = true;
      default = pkgs.${name};
    };
    mkIf = condition: value: if condition then value else { };
    mkDefault = value: value;
    optional = condition: value: if condition then [ value ] else [ ];
    optionalString = condition: text: if condition then text else "";
    optionalAttrs = condition: attrs: if condition then attrs else { };
    hasInfix = infix: text: builtins.length (builtins.split infix text) > 1;
    escapeShellArgs = args: builtins.concatStringsSep " " (map (arg: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] arg}'") args);
    getExe = package: "/mock/bin/${package.pname}";
    inherit (builtins) mapAttrs;
  };
  pkgs = {
    grafana-alloy.pname = "alloy";
    coreutils = "/mock/coreutils";
    writeShellScript = name: text: { inherit name text; };
  };

  declarations = (import (dirOf module + "/grafana-alloy-options.nix") { inherit lib pkgs; }).options.services.grafana-alloy;
  defaultOf = declaration: if declaration ? _isOption then declaration.default else builtins.mapAttrs (_: defaultOf) declaration;
  overlay =
    path: declaration: given:
    let
      unknown = builtins.filter (name: !(declaration ? ${name})) (builtins.attrNames given);
    in
    if unknown != [ ] then
      throw "The option `${path}.${builtins.head unknown}' does not exist."
    else
      builtins.mapAttrs (
        name: inner:
        if !(given ? ${name}) then
          defaultOf inner
        else if inner ? _isOption then
          given.${name}
        else
          overlay "${path}.${name}" inner given.${name}
      ) declaration;

  cfg = overlay "services.grafana-alloy" declarations settings;
  config = (import module { inherit lib pkgs; config.services.grafana-alloy = cfg; }).config;
  unit = config.systemd.services.grafana-alloy.serviceConfig;
in
{
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
  configText = config.environment.etc."grafana-alloy/config.alloy".text;
  startScript = unit.ExecStart.text;
  loadCredential = unit.LoadCredential;
}
