import { highlightPieces } from "./search-request.js";

const TITLE_FIELDS = ["title", "name", "label"];
const SHOWN_FIELDS = 6;

/** One hit: a title, then a few fields, with the matched words marked. */
export function HitCard({
  hit,
  primaryKey,
}: {
  hit: Record<string, unknown>;
  primaryKey: string | null;
}) {
  const formatted = (hit._formatted ?? hit) as Record<string, unknown>;
  const fields = Object.keys(hit).filter((field) => !field.startsWith("_"));
  const titleField = TITLE_FIELDS.find((field) => field in hit) ?? primaryKey ?? fields[0];
  const rest = fields.filter((field) => field !== titleField).slice(0, SHOWN_FIELDS);
  const id = primaryKey === null ? undefined : String(hit[primaryKey]);
  return (
    <li class="hit" data-hit-id={id}>
      <h3>
        {titleField === undefined ? "(no field)" : <Highlighted value={formatted[titleField]} />}
      </h3>
      <dl class="facts">
        {rest.map((field) => (
          <div key={field}>
            <dt>{field}</dt>
            <dd>
              <Highlighted value={formatted[field]} />
            </dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

/** A value as text, with `<mark>` around highlighted words (never parsed as HTML). */
function Highlighted({ value }: { value: unknown }) {
  const text = textOf(value);
  return (
    <>
      {highlightPieces(text).map((piece, position) =>
        piece.match ? <mark key={position}>{piece.text}</mark> : piece.text,
      )}
    </>
  );
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  if (Array.isArray(value)) return value.map(textOf).join(", ");
  if (typeof value === "object") return JSON.stringify(value).slice(0, 300);
  return String(value);
}
