import type { MeiliTask } from "../client/meili-client.js";
import { type Column, orDash, renderTable } from "./table.js";

const TASK_COLUMNS: readonly Column<MeiliTask>[] = [
  { heading: "UID", cell: (task) => String(task.uid), align: "right" },
  { heading: "INDEX", cell: (task) => orDash(task.indexUid) },
  { heading: "TYPE", cell: (task) => task.type },
  { heading: "STATUS", cell: (task) => task.status },
  { heading: "ENQUEUED AT", cell: (task) => task.enqueuedAt },
  { heading: "DURATION", cell: (task) => orDash(task.duration) },
];

export function renderTaskTable(tasks: readonly MeiliTask[]): string {
  return renderTable(tasks, TASK_COLUMNS);
}

/** One task as `name: value` lines, its details and its error last. */
export function renderTask(task: MeiliTask): string {
  const lines = [
    `uid:         ${task.uid}`,
    `index:       ${orDash(task.indexUid)}`,
    `type:        ${task.type}`,
    `status:      ${task.status}`,
    `enqueued at: ${task.enqueuedAt}`,
    `started at:  ${orDash(task.startedAt)}`,
    `finished at: ${orDash(task.finishedAt)}`,
    `duration:    ${orDash(task.duration)}`,
  ];
  const details = Object.entries(task.details ?? {});
  if (details.length > 0) {
    lines.push("details:");
    for (const [name, value] of details) lines.push(`  ${name}: ${JSON.stringify(value)}`);
  }
  if (task.error) lines.push(`error:       ${task.error.message} (${task.error.code})`);
  return lines.join("\n");
}
