import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

async function switches(values: Record<string, boolean>) {
  expect((await node().request("PATCH", "/experimental-features", values)).status).toBe(200);
}

const inline = (template: string, doc?: unknown) => ({
  template: { kind: "inlineDocumentTemplate", inline: template },
  ...(doc === undefined ? {} : { input: { kind: "inlineDocument", inline: doc } }),
});

describe("POST /render-template", () => {
  beforeAll(async () => {
    await node().settle("POST", "/indexes/books/documents", [
      { id: 1, title: "Dune", genre: "sf" },
      { id: 2, title: "Emma", genre: "classic" },
    ]);
  });
  afterAll(async () => {
    await switches({ renderRoute: false, chatCompletions: false });
  });

  it("checks the body, then refuses while renderRoute is off", async () => {
    const { request } = node();
    await switches({ renderRoute: false });
    expectError(await request("POST", "/render-template", {}), 400, "bad_request");
    const noKind = await request("POST", "/render-template", { template: { inline: "x" } });
    expectError(noKind, 400, "invalid_render_template");
    expect(noKind.body.message).toBe("Missing field `kind` inside `.template`");
    const off = await request("POST", "/render-template", inline("x"));
    expectError(off, 400, "feature_not_enabled");
    expect(off.body.message).toBe(
      "calling the /render-template route requires enabling the `render_route` experimental feature. See https://github.com/orgs/meilisearch/discussions/888",
    );
  });

  it("renders inline templates with an inline document, as Meilisearch's Liquid does", async () => {
    const { request } = node();
    await switches({ renderRoute: true });
    const hello = await request(
      "POST",
      "/render-template",
      inline("Hello {{ doc.title }}", { title: "Dune" }),
    );
    expect(hello.body).toEqual({ template: "Hello {{ doc.title }}", rendered: "Hello Dune" });
    const noInput = await request("POST", "/render-template", inline("Hello {{ doc.title }}"));
    expect(noInput.body).toEqual({ template: "Hello {{ doc.title }}", rendered: null });
    const cases: [string, unknown, string][] = [
      [
        "{{ doc.t | downcase | capitalize }} {{ doc.t | size }} {{ 'x' | upcase }}",
        { t: "HELLO" },
        "Hello 5 X",
      ],
      [
        "{{ doc.n }}|{{ doc.arr }}|{{ doc.obj }}|{{ doc.b }}|{{ doc.nul }}|{{ doc.obj.k }}",
        { n: 1.5, arr: [1, "a"], obj: { k: 1 }, b: true, nul: null },
        "1.5|1a|k1|true||1",
      ],
      [
        "{% if doc.b %}yes{% else %}no{% endif %}{% if doc.n == 1.5 and doc.b != nil %}!{% endif %}",
        { n: 1.5, b: true },
        "yes!",
      ],
      [
        "{% for f in fields %}{{ f.name }}={{ f.value }};{% endfor %}",
        { title: "Dune", y: 1 },
        "title=Dune;y=1;",
      ],
    ];
    for (const [template, doc, rendered] of cases) {
      expect((await request("POST", "/render-template", inline(template, doc))).body.rendered).toBe(
        rendered,
      );
    }
  });

  it("renders with a document of an index, and the chat template of its settings", async () => {
    const { request } = node();
    await switches({ renderRoute: true, chatCompletions: true });
    const fields = await request("POST", "/render-template", {
      template: {
        kind: "inlineDocumentTemplate",
        inline:
          "{% for field in fields %}{{ field.name }}:{{ field.is_searchable }}:{{ field.value }};{% endfor %}",
      },
      input: { kind: "indexDocument", indexUid: "books", id: "2" },
    });
    expect(fields.body.rendered).toBe("id:true:2;title:true:Emma;genre:true:classic;");
    const chat = await request("POST", "/render-template", {
      template: { kind: "chatDocumentTemplate", indexUid: "books" },
      input: { kind: "indexDocument", indexUid: "books", id: "1" },
    });
    expect(chat.body.rendered).toBe("id: 1\ntitle: Dune\ngenre: sf\n");
  });

  it("answers Meilisearch's errors for what it cannot fetch, parse or render", async () => {
    const { request } = node();
    await switches({ renderRoute: true, chatCompletions: false });
    const cases: [unknown, number, string, string | RegExp][] = [
      [
        { template: { kind: "inlineDocumentTemplate" } },
        400,
        "invalid_render_template",
        "error while fetching template: parameter `inline` missing for kind `inlineDocumentTemplate`",
      ],
      [
        { template: { kind: "documentTemplate", indexUid: "books" } },
        400,
        "invalid_render_template",
        "error while fetching template: parameter `embedder` missing for kind `documentTemplate`",
      ],
      [
        { template: { kind: "documentTemplate", indexUid: "books", embedder: "plot" } },
        400,
        "invalid_render_template",
        "error while fetching template: cannot find embedder `plot` in index `books`",
      ],
      [
        { template: { kind: "chatDocumentTemplate", indexUid: "books" } },
        400,
        "feature_not_enabled",
        "error while fetching template: accessing chat settings requires enabling the `chat completions` experimental feature. See https://github.com/orgs/meilisearch/discussions/835",
      ],
      [
        { template: { kind: "inlineFragment", inline: { text: "x" } } },
        400,
        "feature_not_enabled",
        "error while fetching template: rendering an inline fragment requires enabling the `multimodal` experimental feature. See https://github.com/orgs/meilisearch/discussions/846",
      ],
      [
        { ...inline("x"), input: { kind: "inlineSearch", inline: { q: "x" } } },
        400,
        "feature_not_enabled",
        "error while fetching input: rendering search requires enabling the `multimodal` experimental feature. See https://github.com/orgs/meilisearch/discussions/846",
      ],
      [
        { ...inline("x"), input: { kind: "inlineDocument", inline: 3 } },
        400,
        "invalid_render_input",
        "error while fetching input: parsing inline document: invalid type: integer `3`, expected a map at line 1 column 1\n  - Note: the inline document must be a JSON map",
      ],
      [
        { ...inline("x"), input: { kind: "indexDocument", indexUid: "books", id: "999" } },
        404,
        "render_document_not_found",
        "error while fetching input: document `999` not found in `books`",
      ],
      [
        { ...inline("x"), input: { kind: "indexDocument", indexUid: "nope", id: "1" } },
        404,
        "index_not_found",
        "Cannot open index `nope`: Index `nope` not found.",
      ],
      [
        inline("{{ doc.title", {}),
        400,
        "template_parsing_error",
        /^error while fetching template: user error: cannot parse template: liquid: /,
      ],
      [
        inline("{{ doc.title | nofilter }}", { title: "x" }),
        400,
        "template_parsing_error",
        /^error while fetching template: user error: cannot parse template: liquid: Unknown filter\n {2}with:\n {4}requested filter=nofilter/,
      ],
      [
        inline("{{ doc.missing }}", { n: 1, b: 2 }),
        400,
        "template_rendering_error",
        "error while rendering template: user error: missing field in document: liquid: Unknown index\n  with:\n    variable=doc\n    requested index=missing\n    available indexes=n, b\n",
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const answer = await request("POST", "/render-template", body);
      expectError(answer, status, code);
      if (typeof message === "string") expect(answer.body.message).toBe(message);
      else expect(answer.body.message).toMatch(message);
    }
    const unknown = await request("POST", "/render-template", {
      template: { kind: "inlineDocumentTemplate", inline: "x", nope: 1 },
    });
    expect(unknown.body.message).toBe(
      "Unknown field `nope` inside `.template`: expected one of `kind`, `indexUid`, `embedder`, `fragment`, `inline`, `documentTemplateMaxBytes`",
    );
    expectError(
      await request("POST", "/render-template", { ...inline("x"), input: { kind: "nope" } }),
      400,
      "invalid_render_input",
    );
  });
});
