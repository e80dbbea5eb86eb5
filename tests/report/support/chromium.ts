// Debian's Chromium, headless, on a local file: the DOM after the page's scripts ran, or a
// screenshot. A fresh profile each time; no network, no sync, no component updates.
import { execa } from "execa";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";

async function chromium(args: string[]): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), "nixotel-chromium-"));
  try {
    const result = await execa(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { timeout: 90_000 },
    );
    return result.stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export const dumpDom = (file: string, windowSize = "1400,1000") =>
  chromium([`--window-size=${windowSize}`, "--dump-dom", pathToFileURL(file).href]);

export const screenshot = (file: string, png: string) =>
  chromium([`--screenshot=${png}`, "--window-size=1400,1000", pathToFileURL(file).href]);

/** The page with a script of the test's own appended, allowed by the page's Content-Security-Policy
 * (which lets only the page's own scripts run). */
export function withScript(html: string, script: string): string {
  const hash = createHash("sha256").update(script).digest("base64");
  return html.replace("script-src ", `script-src 'sha256-${hash}' `).replace("</body>", `<script>${script}</script></body>`);
}
