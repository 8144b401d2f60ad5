import { Flags } from "@oclif/core";
import { apiKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderTaskTable } from "../../output/task-view.js";

export default class TaskList extends ClusterCommand {
  static override summary = "List Miroir tasks, newest first.";
  static override description =
    "Reads GET /tasks with Meilisearch's filters and pagination. Uses the API key (--api-key, MIROIR_MASTER_KEY).";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --status failed --index movies --limit 5",
    "<%= config.bin %> <%= command.id %> --from 120 --json",
  ];
  static override flags = {
    ...apiKeyFlags,
    status: Flags.string({
      summary: "Only tasks with this status (repeatable).",
      multiple: true,
      options: ["enqueued", "processing", "succeeded", "failed", "canceled"],
    }),
    type: Flags.string({ summary: "Only tasks of this type (repeatable).", multiple: true }),
    index: Flags.string({ summary: "Only tasks of this index (repeatable).", multiple: true }),
    limit: Flags.integer({ summary: "How many tasks to show.", default: 20, min: 1 }),
    from: Flags.integer({ summary: "Start from this task uid (see `next`).", min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TaskList);
    const client = await this.meiliClient(flags);
    const page = await client.listTasks({
      statuses: flags.status,
      types: flags.type,
      indexUids: flags.index,
      limit: flags.limit,
      from: flags.from,
    });
    this.printResult(page, () => {
      if (page.results.length === 0) return "No tasks.";
      const more = page.next === null ? "" : `; next page: --from ${page.next}`;
      return `${renderTaskTable(page.results)}\n${page.results.length} of ${page.total} tasks${more}`;
    });
  }
}
