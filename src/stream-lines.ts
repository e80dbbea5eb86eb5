// A child's output as lines, split here rather than by execa's `lines` option (which costs several
// times more per line: issue 14). nix writes one JSON event per line on stderr.

/** Hands `onLine` each line of a text stream (without `\n` or `\r\n`), the last one even unterminated;
 * `onChunk` runs before the lines of each chunk (they all arrived at that moment). Resolves at the end
 * of the stream or when it is destroyed (the child was killed). */
export function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void, onChunk?: () => void): Promise<void> {
  stream.setEncoding("utf8");
  let rest = "";
  const emit = (line: string) => onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  stream.on("data", (chunk: string) => {
    onChunk?.();
    const text = rest + chunk;
    let from = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", from)) {
      emit(text.slice(from, newline));
      from = newline + 1;
    }
    rest = text.slice(from);
  });
  return new Promise((resolve) => {
    const finish = () => {
      if (rest) emit(rest);
      rest = "";
      resolve();
    };
    stream.once("end", finish);
    stream.once("close", finish);
  });
}
