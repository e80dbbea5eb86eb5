# A MOCK of nixpkgs' module system, just enough to evaluate one NixOS module offline (nixpkgs is not
# available here). `lib` holds the functions nixotel's modules call, defined as nixpkgs' lib defines them
# where the definition is the representation itself (mkIf, mkMerge, mkOverride/mkDefault, mkOption,
# mkEnableOption, literalMD: lib/modules.nix, lib/options.nix); types are inert markers. `evalModule`
# gives the module its own options' values (defaults overlaid with the test's definitions: one level
# deep, as nixotel's options are flat) and resolves what it defines as the module system would collect
# it: a false mkIf drops its content, mkMerge merges its parts, mkOverride keeps its priority next to the
# value ({ _priority; value; }). Two plain definitions of one leaf are refused, not silently picked.
# Other modules (imports) are not evaluated: their options are not declared here.
let
  inherit (builtins)
    attrNames
    foldl'
    isAttrs
    isList
    listToAttrs
    mapAttrs
    ;

  marker = name: args: { _mockType = name; } // args;
  absent = {
    _absent = true;
  };
  isAbsent = v: isAttrs v && v ? _absent;
  typeOf = v: if isAttrs v then v._type or null else null;

  lib = rec {
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkOverride = priority: content: {
      _type = "override";
      inherit priority content;
    };
    mkDefault = mkOverride 1000;
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption =
      name:
      mkOption {
        default = false;
        example = true;
        description = "Whether to enable ${name}.";
        type = types.bool;
      };
    literalMD = text: {
      _type = "literalMD";
      inherit text;
    };
    literalExpression = text: {
      _type = "literalExpression";
      inherit text;
    };
    optionalAttrs = cond: attrs: if cond then attrs else { };
    optional = cond: x: if cond then [ x ] else [ ];
    types = {
      bool = marker "bool" { };
      str = marker "str" { };
      port = marker "port" { };
      package = marker "package" { };
      enum = values: marker "enum" { inherit values; };
      nullOr = type: marker "nullOr" { inherit type; };
      listOf = type: marker "listOf" { inherit type; };
    };
  };

  merge =
    a: b:
    if isAbsent a then
      b
    else if isAbsent b then
      a
    else if isList a && isList b then
      a ++ b
    else if isAttrs a && isAttrs b && typeOf a == null && typeOf b == null && !(a ? _priority || b ? _priority) then
      listToAttrs (
        map (name: {
          inherit name;
          value = merge (a.${name} or absent) (b.${name} or absent);
        }) (attrNames (a // b))
      )
    else
      throw "mock module system: two definitions of one value (${builtins.toJSON a} and ${builtins.toJSON b}); the real one would merge them by the option's type";

  resolve =
    v:
    let
      type = typeOf v;
    in
    if type == "if" then
      (if v.condition then resolve v.content else absent)
    else if type == "merge" then
      foldl' merge absent (map resolve v.contents)
    else if type == "override" then
      {
        _priority = v.priority;
        value = resolve v.content;
      }
    else if isAttrs v && type == null && !(v ? _mockType) then
      let
        resolved = mapAttrs (_: resolve) v;
      in
      listToAttrs (
        map (name: {
          inherit name;
          value = resolved.${name};
        }) (builtins.filter (name: !isAbsent resolved.${name}) (attrNames resolved))
      )
    else
      v;

  # The value of every option the module declares under `path`, from its default or the test's definition.
  optionValues =
    declared: defined:
    mapAttrs (
      name: option:
      if typeOf option == "option" then
        defined.${name} or (option.default or (throw "mock module system: option ${name} has no value"))
      else
        optionValues option (defined.${name} or { })
    ) declared;
in
{
  inherit lib resolve;

  # module: a path; definitions: what the test sets (e.g. { nixotel.tracedNode.enable = true; }); pkgs: a mock.
  evalModule =
    {
      module,
      definitions,
      pkgs,
    }:
    let
      evaluated = import module {
        inherit lib pkgs;
        config = optionValues evaluated.options definitions;
      };
      resolved = resolve evaluated.config;
    in
    {
      inherit (evaluated) options;
      config = if isAbsent resolved then { } else resolved;
      imports = map toString (evaluated.imports or [ ]);
      # What the module system would refuse: the assertions that failed, by message.
      failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) (resolved.assertions or [ ]));
    };
}
