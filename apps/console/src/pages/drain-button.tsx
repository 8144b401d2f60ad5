import { useState } from "preact/hooks";
import { adminCall } from "../api/admin-api.js";
import type { NodeView } from "../api/admin-types.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";

/** Drains a node after the operator confirms (`POST /_miroir/nodes/{id}/drain`). */
export function DrainButton({ node, onDone }: { node: NodeView; onDone: (text: string) => void }) {
  const [asking, setAsking] = useState(false);
  if (node.state !== "active" && node.state !== "joining") return null;
  const drain = async () => {
    setAsking(false);
    try {
      await adminCall(`nodes/${encodeURIComponent(node.id)}/drain`, { method: "POST" });
      onDone(`${node.id} is draining: its shards are being placed on the other nodes.`);
    } catch (error) {
      onDone(`Draining ${node.id} failed: ${(error as Error).message}`);
    }
  };
  return (
    <>
      <button type="button" class="secondary small" onClick={() => setAsking(true)}>
        Drain<span class="visually-hidden"> {node.id}</span>
      </button>
      {asking ? (
        <ConfirmDialog
          title={`Drain ${node.id}?`}
          confirmLabel="Drain"
          onConfirm={drain}
          onCancel={() => setAsking(false)}
        >
          <p>
            Its shards get placed on the other nodes of replica group {node.replicaGroup}. The node
            keeps serving them until the data has moved.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
