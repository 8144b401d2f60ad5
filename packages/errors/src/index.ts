export type { ErrorSpec, ErrorType } from "./error-spec.js";
export { jsonDepthProblem, MAX_JSON_DEPTH } from "./json-depth.js";
export { meiliCodes } from "./meili-codes.js";
export type { ErrorBody, ErrorCode, MeiliCode, MiroirCode } from "./meili-error.js";
export {
  isErrorCode,
  linkOf,
  MeiliError,
  meiliError,
  parseErrorBody,
  specOf,
} from "./meili-error.js";
export { miroirCodes } from "./miroir-codes.js";
export { notASequence } from "./sequence-payload.js";
export { TASK_TYPES, type TaskType } from "./task-types.js";
