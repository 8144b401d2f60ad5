export { errorResponse, toMeiliError } from "./error-response.js";
