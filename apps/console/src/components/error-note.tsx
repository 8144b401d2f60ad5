/** An error the operator should read, announced to screen readers. */
export function ErrorNote({ error }: { error: Error | null }) {
  if (error === null) return null;
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}
