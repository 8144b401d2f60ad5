import type { ProgressItem } from "../progress/progress-source.js";
import { StatusBadge } from "./status-badge.js";

/** One job's progress: a native progress bar (announced by screen readers) and its figures. */
export function ProgressBar({ item }: { item: ProgressItem }) {
  const percent = item.total === 0 ? 100 : Math.floor((item.done / item.total) * 100);
  const id = `progress-${item.id}`;
  return (
    <div class="progress">
      <div class="progress-head">
        <label for={id}>{item.title}</label>
        <StatusBadge value={item.state} />
      </div>
      <progress id={id} max={Math.max(item.total, 1)} value={item.total === 0 ? 1 : item.done} />
      <p class="progress-figures">
        {item.done} of {item.total} {item.unit} ({percent} %)
      </p>
      {item.note === undefined ? null : <p class="note">{item.note}</p>}
    </div>
  );
}
