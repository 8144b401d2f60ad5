import { parseArgs } from "node:util";
import { startNode } from "@miroir/testkit";
import { announceUrl } from "../../processes/child-service.js";
import { startTrivialUpstream } from "../../processes/trivial-upstream.js";

/**
 * Several upstream nodes in one process, for curves over many nodes: `--kind trivial`
 * (canned answers) or `emulated` (the testkit's node), `--count K`, ids
 * `node-<first>` … `node-<first+K-1>`. Announces `{url, nodes: [{id, url}]}` and stops
 * them all on SIGTERM/SIGINT.
 */
const { values } = parseArgs({
  options: {
    kind: { type: "string", default: "trivial" },
    count: { type: "string", default: "1" },
    first: { type: "string", default: "0" },
    "master-key": { type: "string" },
  },
});

const first = Number(values.first);
const masterKey = values["master-key"] ?? null;
const started = await Promise.all(
  Array.from({ length: Number(values.count) }, async (_, i) => {
    const id = `node-${first + i}`;
    const node =
      values.kind === "emulated"
        ? await startNode({ id, masterKey })
        : await startTrivialUpstream(id);
    return { id, url: node.url, stop: () => node.stop() };
  }),
);

announceUrl(started[0]?.url ?? "", { nodes: started.map(({ id, url }) => ({ id, url })) });
const stop = () => {
  Promise.all(started.map((node) => node.stop())).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
