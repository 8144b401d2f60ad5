import { useState } from "preact/hooks";
import { adminCall } from "../api/admin-api.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";

/** Adds a node to a group after the operator confirms (`POST /_miroir/nodes`). */
export function AddNodeForm({
  groups,
  onDone,
}: {
  groups: number;
  onDone: (text: string) => void;
}) {
  const [id, setId] = useState("");
  const [address, setAddress] = useState("");
  const [group, setGroup] = useState(0);
  const [asking, setAsking] = useState(false);
  const add = async () => {
    setAsking(false);
    try {
      await adminCall("nodes", { method: "POST", body: { id, address, replicaGroup: group } });
      onDone(`${id} joined replica group ${group}.`);
      setId("");
      setAddress("");
    } catch (error) {
      onDone(`Adding ${id} failed: ${(error as Error).message}`);
    }
  };
  return (
    <details class="add-node">
      <summary>Add a node</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setAsking(true);
        }}
      >
        <label for="add-id">Node id</label>
        <input
          id="add-id"
          required
          pattern="[A-Za-z0-9_.\-]{1,128}"
          value={id}
          onInput={(event) => setId(event.currentTarget.value)}
        />
        <label for="add-address">Address</label>
        <input
          id="add-address"
          type="url"
          required
          placeholder="http://10.0.0.13:7700"
          value={address}
          onInput={(event) => setAddress(event.currentTarget.value)}
        />
        <label for="add-group">Replica group</label>
        <select
          id="add-group"
          value={group}
          onChange={(event) => setGroup(Number(event.currentTarget.value))}
        >
          {Array.from({ length: groups }, (_, g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
        <button type="submit">Add…</button>
      </form>
      {asking ? (
        <ConfirmDialog
          title={`Add ${id}?`}
          confirmLabel="Add the node"
          onConfirm={add}
          onCancel={() => setAsking(false)}
        >
          <p>
            {id} at {address} joins replica group {group}. It must run with the fleet's node master
            key; its id can never be used again.
          </p>
        </ConfirmDialog>
      ) : null}
    </details>
  );
}
