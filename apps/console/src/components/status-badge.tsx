/** A word in a coloured pill; the word, never the colour alone, carries the meaning. */
export function StatusBadge({ value, kind }: { value: string; kind?: string }) {
  return <span class={`badge badge-${kind ?? value}`}>{value}</span>;
}
