import type { ComponentChildren } from "preact";

/**
 * A wide table scrolls inside its own box on a narrow screen, so the page never scrolls
 * sideways; the box is focusable so the keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
