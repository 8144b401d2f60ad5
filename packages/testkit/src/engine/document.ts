/** A document as stored: a JSON object. */
export type Document = Record<string, unknown>;
