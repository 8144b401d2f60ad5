import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReadAnswer } from "../scatter/read-pipeline.js";
import { createSearchCoalescer, searchKey } from "./search-coalescing.js";

function deferred() {
  let resolve: (answer: ReadAnswer) => void = () => undefined;
  const promise = new Promise<ReadAnswer>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("searchKey", () => {
  it("is the same for the same search whatever the order of its keys, and differs otherwise", () => {
    const body = fc.dictionary(
      fc.constantFrom("q", "limit", "filter", "sort", "facets"),
      fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 })),
    );
    fc.assert(
      fc.property(body, body, (a, b) => {
        const reversed = Object.fromEntries(Object.entries(a).reverse());
        expect(searchKey("i", reversed)).toBe(searchKey("i", a));
        expect(searchKey("i", a) === searchKey("i", b)).toBe(
          JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort()),
        );
        expect(searchKey("i", a)).not.toBe(searchKey("j", a));
      }),
    );
  });
});

describe("the search coalescer", () => {
  it("runs one search for concurrent identical ones, each caller getting its own copy", async () => {
    const coalescer = createSearchCoalescer({
      windowMs: 1_000,
      maxSubscribers: 10,
      maxPending: 10,
    });
    const first = deferred();
    let runs = 0;
    const search = () => {
      runs += 1;
      return first.promise;
    };
    const answers = Array.from({ length: 5 }, () => coalescer.run("k", search));
    first.resolve({ body: { hits: [{ id: 1 }], requestUid: "0192-x" } });
    const bodies = (await Promise.all(answers)).map((answer) => answer.body as { hits: unknown[] });
    expect(runs).toBe(1);
    expect(coalescer.joined).toBe(4);
    expect(new Set(bodies).size).toBe(5);
    for (const body of bodies) expect(body.hits).toEqual([{ id: 1 }]);
    (bodies[0] as { hits: unknown[] }).hits.push("changed by one client");
    expect(bodies[1]?.hits).toEqual([{ id: 1 }]);
  });

  it("starts another search past the window, the subscriber cap or once the first is done", async () => {
    const coalescer = createSearchCoalescer({ windowMs: 1_000, maxSubscribers: 2, maxPending: 10 });
    let runs = 0;
    const search = () => {
      runs += 1;
      return Promise.resolve({ body: { runs } });
    };
    await Promise.all([
      coalescer.run("k", search),
      coalescer.run("k", search),
      coalescer.run("k", search),
    ]);
    expect(runs).toBe(2);
    await coalescer.run("k", search);
    expect(runs).toBe(3);
  });

  it("passes the first search's error to every caller, and tracks at most maxPending searches", async () => {
    const coalescer = createSearchCoalescer({ windowMs: 1_000, maxSubscribers: 10, maxPending: 1 });
    const failing = deferred();
    let runs = 0;
    const slow = () => {
      runs += 1;
      return failing.promise;
    };
    const a = coalescer.run("a", slow);
    const b = coalescer.run("a", slow);
    const other = coalescer.run("b", () => {
      runs += 1;
      return Promise.resolve({ body: {} });
    });
    await other;
    expect(runs).toBe(2);
    failing.resolve(Promise.reject(new Error("node down")) as unknown as ReadAnswer);
    await expect(a).rejects.toThrow("node down");
    await expect(b).rejects.toThrow("node down");
  });
});
