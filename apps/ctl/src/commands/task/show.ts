import { apiKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderTask } from "../../output/task-view.js";
import { taskUidArg } from "../../task-uid-arg.js";

export default class TaskShow extends ClusterCommand {
  static override summary = "Show one Miroir task.";
  static override description =
    "Reads GET /tasks/{uid}: the task's status aggregates the task it made on every node.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> 42",
    "<%= config.bin %> <%= command.id %> 42 --json",
  ];
  static override args = {
    uid: taskUidArg({ required: true }),
  };

  static override flags = { ...apiKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TaskShow);
    const client = await this.meiliClient(flags);
    const task = await client.getTask(args.uid);
    this.printResult(task, () => renderTask(task));
  }
}
