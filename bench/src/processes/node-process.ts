import { parseArgs } from "node:util";
import { startMeiliProcess, startNode } from "@miroir/testkit";
import { announceUrl } from "./child-service.js";
import { startTrivialUpstream } from "./trivial-upstream.js";

/**
 * One upstream in its own process, so that its work never shares an event loop with the
 * proxy or the load generator: `--kind emulated` (the testkit's node), `real` (a
 * Meilisearch process from `MEILI_BIN`) or `trivial` (canned answers). Prints its URL
 * as `{"url":…}` and stops on SIGTERM/SIGINT.
 */
const { values } = parseArgs({
  options: {
    kind: { type: "string", default: "emulated" },
    id: { type: "string", default: "node" },
    "master-key": { type: "string" },
  },
});

const masterKey = values["master-key"] ?? null;
const started =
  values.kind === "trivial"
    ? await startTrivialUpstream(values.id)
    : values.kind === "real"
      ? await startMeiliProcess({ id: values.id, masterKey })
      : await startNode({ id: values.id, masterKey });

announceUrl(started.url);
const stop = () => {
  started.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
