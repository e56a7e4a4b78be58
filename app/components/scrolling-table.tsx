import type { ReactNode } from "react";

/**
 * The box of a table that may be wider than a phone: it scrolls sideways, and it takes keyboard focus
 * so that a keyboard can scroll it too (axe's scrollable-region-focusable).
 */
export function ScrollingTable({ children }: { children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard.
    <div className="table-wrap" tabIndex={0}>
      {children}
    </div>
  );
}
