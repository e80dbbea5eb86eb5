# Helpers that write values in Alloy configuration syntax.
# Pure Nix (builtins only) so the config renderer can be evaluated and tested without nixpkgs.
let
  hexDigits = "0123456789abcdef";
  hexDigit = n: builtins.substring n 1 hexDigits;
  hex2 = n: hexDigit (n / 16) + hexDigit (n - (n / 16) * 16);

  # builtins cannot build a character from its code; JSON's \uXXXX escape can.
  charOf = code: builtins.fromJSON ''"\u00${hex2 code}"'';

  # Alloy string escapes (Go-like): named ones where they exist, \uNNNN for every other control
  # character (U+0001..U+001F, U+007F). NUL cannot occur: Nix strings cannot hold it.
  namedEscapes = {
    "9" = "\\t";
    "10" = "\\n";
    "13" = "\\r";
  };
  controlCodes = builtins.genList (i: i + 1) 31 ++ [ 127 ];
  escapeFor = code: namedEscapes.${toString code} or "\\u00${hex2 code}";
in
rec {
  # The body of an Alloy double-quoted string: no quote, backslash or control character left raw.
  escapeString = builtins.replaceStrings (
    [
      "\\"
      "\""
    ]
    ++ map charOf controlCodes
  ) ([
    "\\\\"
    "\\\""
  ]
  ++ map escapeFor controlCodes);

  # A quoted Alloy string literal.
  string = s: "\"${escapeString s}\"";

  # An Alloy array of already-rendered expressions, e.g. [a.input, b.input].
  array = items: "[" + builtins.concatStringsSep ", " items + "]";

  # An Alloy array of string literals.
  stringArray = items: array (map string items);

  # "host:port", bracketing IPv6 literals so the port stays unambiguous.
  hostPort =
    address: port:
    let
      isIPv6 = builtins.match ".*:.*" address != null;
      host = if isIPv6 then "[${address}]" else address;
    in
    "${host}:${toString port}";

  # Indent every non-empty line of a rendered block body by two spaces.
  indent =
    text:
    let
      lines = builtins.filter builtins.isString (builtins.split "\n" text);
    in
    builtins.concatStringsSep "\n" (map (line: if line == "" then line else "  " + line) lines);

  # `name "label" { body }` or `name { body }` (label null), body given as a list of lines/blocks.
  block =
    name: label: body:
    let
      head = if label == null then name else "${name} ${string label}";
      inner = builtins.concatStringsSep "\n" (builtins.filter (x: x != null && x != "") body);
    in
    if inner == "" then "${head} { }" else "${head} {\n${indent inner}\n}";

  # `key = value` with value an already-rendered expression.
  attr = key: value: "${key} = ${value}";
}
