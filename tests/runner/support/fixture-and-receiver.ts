// A file's tests on one copy of a fixture flake, sending to one receiver that is reset between tests.
import { afterAll, afterEach, beforeAll } from "vitest";
import { startReceiver, type OtlpReceiver } from "../../support/otlp-receiver.js";
import { copyFixture, type FlakeCopy } from "./fixture.js";

/** `bind` gets the copy and the receiver once both are ready; both are removed after the file's tests. */
export function useFixtureAndReceiver(fixture: string, bind: (flake: FlakeCopy, receiver: OtlpReceiver) => void): void {
  let flake: FlakeCopy | undefined;
  let receiver: OtlpReceiver | undefined;
  beforeAll(async () => {
    [flake, receiver] = await Promise.all([copyFixture(fixture), startReceiver()]);
    bind(flake, receiver);
  });
  afterEach(() => receiver?.reset());
  afterAll(async () => {
    await receiver?.close();
    await flake?.remove();
  });
}
