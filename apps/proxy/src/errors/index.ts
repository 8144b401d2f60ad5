export { answeredError, errorResponse, toMeiliError } from "./error-response.js";
