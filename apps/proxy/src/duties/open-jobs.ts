import type { JobRecord, TaskStore } from "@miroir/taskstore";

/**
 * The jobs still to run or running (of `type`, or whose type starts with `typePrefix`),
 * in progress first: read by state, so the finished jobs the store keeps are never loaded.
 */
export async function openJobs(
  store: TaskStore,
  select: { readonly type: string } | { readonly typePrefix: string },
): Promise<JobRecord[]> {
  const matches =
    "type" in select
      ? (job: JobRecord) => job.type === select.type
      : (job: JobRecord) => job.type.startsWith(select.typePrefix);
  return [...(await store.jobs.list("in_progress")), ...(await store.jobs.list("queued"))].filter(
    matches,
  );
}
