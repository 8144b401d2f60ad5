import { Flags } from "@oclif/core";
import { CliFailure } from "../../cli-failure.js";
import { apiKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { liveStatus, progressStream } from "../../output/live-status.js";
import { renderTask } from "../../output/task-view.js";
import { taskUidArg } from "../../task-uid-arg.js";
import { waitForTask } from "../../tasks/wait-for-task.js";

export default class TaskWait extends ClusterCommand {
  static override summary = "Wait until a Miroir task is finished.";
  static override description =
    "Polls GET /tasks/{uid}, with a spinner on a terminal. Exits 0 when the task succeeded, 1 when it failed, was canceled or is still unfinished after --timeout.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> 42",
    "<%= config.bin %> <%= command.id %> 42 --timeout 300 --json",
  ];
  static override args = {
    uid: taskUidArg({ required: true }),
  };
  static override flags = {
    ...apiKeyFlags,
    timeout: Flags.integer({ summary: "Seconds to wait before giving up.", default: 60, min: 1 }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 250, min: 10 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TaskWait);
    const client = await this.meiliClient(flags);
    const status = liveStatus(progressStream(), { quiet: flags.json });
    let outcome: Awaited<ReturnType<typeof waitForTask>>;
    try {
      outcome = await waitForTask(client, args.uid, {
        timeoutMs: flags.timeout * 1000,
        intervalMs: flags.interval,
        onPoll: (task) => status.update(`task ${task.uid} ${task.status}`),
      });
    } finally {
      status.stop();
    }
    const { task } = outcome;
    this.printResult(task, () => renderTask(task));
    if (!outcome.finished) {
      throw new CliFailure(`Task ${task.uid} is still ${task.status} after ${flags.timeout}s.`);
    }
    if (task.status === "failed") {
      const reason = task.error ? `: ${task.error.message} (${task.error.code})` : "";
      throw new CliFailure(`Task ${task.uid} failed${reason}`, { code: task.error?.code });
    }
    if (task.status === "canceled") {
      throw new CliFailure(`Task ${task.uid} was canceled by task ${task.canceledBy ?? "?"}.`);
    }
  }
}
