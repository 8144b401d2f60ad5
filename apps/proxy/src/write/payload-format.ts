import { meiliError } from "@miroir/errors";
import { mediaTypeOf } from "../body/read-body.js";

/** The three document payload formats Meilisearch accepts. */
export type PayloadFormat = "json" | "ndjson" | "csv";

const MEDIA_TYPES: Readonly<Record<string, PayloadFormat>> = {
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "text/csv": "csv",
};

const ACCEPTED = "`application/json`, `application/x-ndjson`, `text/csv`";

/** The payload format named by a Content-Type header, with Meilisearch's 415 errors. */
export function payloadFormatOf(contentType: string | undefined): PayloadFormat {
  if (contentType === undefined || contentType.trim() === "") {
    throw meiliError(
      "missing_content_type",
      `A Content-Type header is missing. Accepted values for the Content-Type header are: ${ACCEPTED}`,
    );
  }
  const format = MEDIA_TYPES[mediaTypeOf(contentType)];
  if (format === undefined) {
    throw meiliError(
      "invalid_content_type",
      `The Content-Type \`${contentType}\` is invalid. Accepted values for the Content-Type header are: ${ACCEPTED}`,
    );
  }
  return format;
}

export function malformedPayload(format: PayloadFormat, detail: string) {
  return meiliError(
    "malformed_payload",
    `The \`${format}\` payload provided is malformed. \`${detail}\`.`,
  );
}

export function missingPayload(format: PayloadFormat) {
  return meiliError("missing_payload", `A ${format} payload is missing.`);
}
