export {
  createNodeClient,
  type NodeAddress,
  type NodeClient,
  type NodeClientOptions,
  type NodeRequest,
  type NodeRequestBody,
} from "./node-client.js";
export { indexPath } from "./node-path.js";
export {
  expectSuccess,
  isSuccess,
  NodeCallError,
  type NodeResponse,
  nodeErrorOf,
} from "./node-response.js";
