import { TASK_TYPES } from "@miroir/errors";
import { useState } from "preact/hooks";
import { adminCall } from "../api/admin-api.js";
import type { AdminTask, TaskPage } from "../api/admin-types.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { StatusBadge } from "../components/status-badge.js";
import { TableScroll } from "../components/table-scroll.js";
import { timeOf } from "./fleet-page.js";

const STATUSES = ["enqueued", "processing", "succeeded", "failed", "canceled"] as const;

/** The live task list (newest first), with Meilisearch's filters, and one task's details. */
export function TasksPage() {
  const [status, setStatus] = useState("");
  const [type, setType] = useState("");
  const [index, setIndex] = useState("");
  const [from, setFrom] = useState<number | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const query = new URLSearchParams({ limit: "20" });
  if (status !== "") query.set("statuses", status);
  if (type !== "") query.set("types", type);
  if (index.trim() !== "") query.set("indexUids", index.trim());
  if (from !== null) query.set("from", String(from));
  const tasks = usePolling(() => adminCall<TaskPage>(`tasks?${query}`), 1_000, [query.toString()]);
  const page = tasks.data;
  const filtered = (set: (value: string) => void) => (value: string) => {
    set(value);
    setFrom(null);
  };
  return (
    <>
      <h1>Tasks</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label for="task-status">Status</label>
        <select
          id="task-status"
          value={status}
          onChange={(e) => filtered(setStatus)(e.currentTarget.value)}
        >
          <option value="">any</option>
          {STATUSES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <label for="task-type">Type</label>
        <select
          id="task-type"
          value={type}
          onChange={(e) => filtered(setType)(e.currentTarget.value)}
        >
          <option value="">any</option>
          {TASK_TYPES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <label for="task-index">Index</label>
        <input
          id="task-index"
          value={index}
          onInput={(e) => filtered(setIndex)(e.currentTarget.value)}
        />
      </form>
      <ErrorNote error={tasks.error} />
      {page === null ? (
        <p>Loading tasks…</p>
      ) : (
        <>
          <p class="note" aria-live="polite">
            {page.total} task(s) match; newest first.
          </p>
          <TableScroll label="Tasks">
            <table class="tasks">
              <thead>
                <tr>
                  <th scope="col">Uid</th>
                  <th scope="col">Index</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Enqueued</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {page.results.map((task) => (
                  <tr
                    key={task.uid}
                    data-task={task.uid}
                    class={chosen === task.uid ? "chosen" : ""}
                  >
                    <th scope="row">
                      <button
                        type="button"
                        class="link"
                        aria-expanded={chosen === task.uid}
                        onClick={() => setChosen(chosen === task.uid ? null : task.uid)}
                      >
                        {task.uid}
                      </button>
                    </th>
                    <td>{task.indexUid ?? "–"}</td>
                    <td>{task.type}</td>
                    <td data-field="status">
                      <StatusBadge value={task.status} />
                    </td>
                    <td>{timeOf(task.enqueuedAt)}</td>
                    <td>{task.duration ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <div class="pager">
            <button
              type="button"
              class="secondary"
              disabled={from === null}
              onClick={() => setFrom(null)}
            >
              Newest
            </button>
            <button
              type="button"
              class="secondary"
              disabled={page.next === null}
              onClick={() => setFrom(page.next)}
            >
              Older
            </button>
          </div>
        </>
      )}
      {chosen === null ? null : <TaskDetails uid={chosen} />}
    </>
  );
}

function TaskDetails({ uid }: { uid: number }) {
  const task = usePolling(() => adminCall<AdminTask>(`tasks/${uid}`), 1_000, [uid]);
  const data = task.data;
  return (
    <section class="card" aria-labelledby="task-details-title" data-task-details={uid}>
      <h2 id="task-details-title">Task {uid}</h2>
      <ErrorNote error={task.error} />
      {data === null ? (
        <p>Loading…</p>
      ) : (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge value={data.status} />
            </dd>
            <dt>Type</dt>
            <dd>{data.type}</dd>
            <dt>Index</dt>
            <dd>{data.indexUid ?? "–"}</dd>
            <dt>Enqueued</dt>
            <dd>{timeOf(data.enqueuedAt)}</dd>
            <dt>Started</dt>
            <dd>{data.startedAt === null ? "–" : timeOf(data.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{data.finishedAt === null ? "–" : timeOf(data.finishedAt)}</dd>
          </dl>
          {data.error === null ? null : (
            <p class="error">
              {data.error.code}: {data.error.message}
            </p>
          )}
          <h3>Node tasks</h3>
          {data.nodeTasks.length === 0 ? (
            <p>No node task: Miroir answered this task itself.</p>
          ) : (
            <TableScroll label={`Node tasks of task ${uid}`}>
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">Node</th>
                    <th scope="col">Node task uid</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.nodeTasks.map((node) => (
                    <tr key={`${node.nodeId}-${node.taskUid}`}>
                      <th scope="row">{node.nodeId}</th>
                      <td>{node.taskUid}</td>
                      <td>{node.status === null ? "–" : <StatusBadge value={node.status} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <h3>Details</h3>
          <pre class="json">{JSON.stringify(data.details ?? {}, null, 2)}</pre>
        </>
      )}
    </section>
  );
}
