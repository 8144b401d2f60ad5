import { describe, expect, it } from "vitest";
import { parseExposition } from "./exposition.js";

describe("parsing the Prometheus exposition", () => {
  it("reads names, labels and values, and skips comments", () => {
    const text = [
      "# HELP miroir_requests_total Client requests answered.",
      "# TYPE miroir_requests_total counter",
      'miroir_requests_total{method="GET",path_template="/indexes/:indexUid/search",status="200"} 12',
      "miroir_requests_in_flight 1",
      'miroir_request_duration_seconds_bucket{le="+Inf",path_template="/x"} 3',
      "",
    ].join("\n");
    expect(parseExposition(text)).toEqual([
      {
        name: "miroir_requests_total",
        labels: { method: "GET", path_template: "/indexes/:indexUid/search", status: "200" },
        value: 12,
      },
      { name: "miroir_requests_in_flight", labels: {}, value: 1 },
      {
        name: "miroir_request_duration_seconds_bucket",
        labels: { le: "+Inf", path_template: "/x" },
        value: 3,
      },
    ]);
  });

  it("unescapes label values and understands special values and timestamps", () => {
    const text = 'm{a="say \\"hi\\"\\nback\\\\slash"} +Inf 1700000000000\nn NaN\no -Inf';
    const [first, second, third] = parseExposition(text);
    expect(first?.labels.a).toBe('say "hi"\nback\\slash');
    expect(first?.value).toBe(Number.POSITIVE_INFINITY);
    expect(second?.value).toBeNaN();
    expect(third?.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it("skips a line it cannot read instead of failing the scrape", () => {
    expect(parseExposition('broken{a=1} 2\nok 3\nbad{a="x"} notanumber')).toEqual([
      { name: "ok", labels: {}, value: 3 },
    ]);
  });
});
