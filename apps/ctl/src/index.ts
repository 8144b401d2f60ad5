export { MiroirCommand } from "./base-command.js";
export { CliFailure } from "./cli-failure.js";
export { ClusterCommand } from "./cluster-command.js";
export { ExitCode } from "./exit-codes.js";
