import { useState } from "preact/hooks";

/** Asks for a key once; the caller keeps it in session storage. */
export function KeyForm({
  label,
  hint,
  onKey,
  error,
}: {
  label: string;
  hint: string;
  onKey: (key: string) => void;
  error?: string | null;
}) {
  const [value, setValue] = useState("");
  const id = `key-${label.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <form
      class="key-form"
      onSubmit={(event) => {
        event.preventDefault();
        onKey(value.trim());
      }}
    >
      <label for={id}>{label}</label>
      <p class="note" id={`${id}-hint`}>
        {hint}
      </p>
      <div class="row">
        <input
          id={id}
          type="password"
          autocomplete="off"
          aria-describedby={`${id}-hint`}
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        <button type="submit">Use this key</button>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
