// A run file's lines as a reader may trust them: nixotel appends whole lines, so a last line without its
// "\n" that is not JSON was cut short (nixotel killed while appending, a full disk) and counts as absent.
export function wholeLines(text: string): string[] {
  const lines = text.split("\n");
  const last = lines.pop() ?? "";
  return !last.trim() || !parsesAsJson(last) ? lines : [...lines, last];
}

function parsesAsJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
