import { fileURLToPath } from "node:url";
import { runChildJson } from "../../processes/child-json.js";
import type { CostCurve, CurvePoint } from "../../report/cost-curve.js";

export interface MergeCurvePlan {
  readonly answers: readonly number[];
  /** Hits per answer and client limit for the curve over answers. */
  readonly limit: number;
  readonly pages: readonly number[];
  /** Answers merged for the curve over page size. */
  readonly pageAnswers: number;
  readonly msPerPoint: number;
  readonly rounds: number;
}

/** Merge time as the shard answers and the page size grow (`merge-curves-child.ts`). */
export async function mergeCurves(plan: MergeCurvePlan): Promise<CostCurve[]> {
  const result = await runChildJson<{ overAnswers: CurvePoint[]; overPages: CurvePoint[] }>({
    script: fileURLToPath(new URL("./merge-curves-child.js", import.meta.url)),
    args: [
      "--answers",
      plan.answers.join(","),
      "--limit",
      String(plan.limit),
      "--pages",
      plan.pages.join(","),
      "--page-answers",
      String(plan.pageAnswers),
      "--ms-per-point",
      String(plan.msPerPoint),
      "--rounds",
      String(plan.rounds),
    ],
  });
  const method = `\`mergeSearch\` alone in a child process, on answers shaped like the nodes' (ranked hits with score details, freshly parsed from JSON for every merge, no facets); the merges are timed one by one, the points take turns over ${plan.rounds} rounds of which each keeps its best median (other work on the machine only adds time).`;
  return [
    {
      id: "merge-answers",
      title: "Merge time as the shard answers grow",
      x: { label: "answers merged", unit: "answer", scale: "log2" },
      y: { label: "median time per merge", unit: "µs" },
      series: [{ label: `limit ${plan.limit}`, points: result.overAnswers, fitted: true }],
      fixed: { hits: plan.limit },
      method: `${method} Each answer holds ${plan.limit} hits, the client asks for ${plan.limit}.`,
    },
    {
      id: "merge-page",
      title: "Merge time as the page size grows",
      x: { label: "page size (limit)", unit: "hit of page size", scale: "log2" },
      y: { label: "median time per merge", unit: "µs" },
      series: [{ label: `${plan.pageAnswers} answers`, points: result.overPages, fitted: true }],
      fixed: { answers: plan.pageAnswers },
      method: `${method} ${plan.pageAnswers} answers, each holding as many hits as the client's limit (what a node returns for offset 0).`,
    },
  ];
}
