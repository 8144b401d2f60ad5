import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is and answers the serious and critical violations.
 * The engine is evaluated through the DevTools protocol, so the page's
 * Content-Security-Policy stays in force.
 */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  // Browser code as text: this package's type checking knows Node, not the DOM.
  const violations = (await page.evaluate(`axe.run().then((result) =>
    result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((node) => node.target.join(" ")),
    })))`)) as Violation[];
  return violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
}

/**
 * What sticks out of the page on the right, which would make it scroll sideways (it must
 * not, at any width): a short description of each outermost element that does.
 */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    const offenders = [];
    for (const element of document.body.querySelectorAll("*")) {
      if (element.getBoundingClientRect().right <= width + 1) continue;
      const parentRight = element.parentElement ? element.parentElement.getBoundingClientRect().right : 0;
      if (parentRight > width + 1) continue;
      offenders.push(element.tagName.toLowerCase() + "." + element.className);
    }
    return offenders.length > 0 ? offenders : ["(the document, with no single offender)"];
  })()`)) as string[];
}
