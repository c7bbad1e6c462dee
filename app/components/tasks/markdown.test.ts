import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "./markdown.ts";

describe("safeHref", () => {
  it("allows http(s), mailto and local paths", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref("mailto:ann@example.com")).toBe("mailto:ann@example.com");
    expect(safeHref("/projects/1")).toBe("/projects/1");
  });

  it("refuses script and protocol-relative targets", () => {
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("JavaScript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<script>")).toBeNull();
    expect(safeHref("//evil.example")).toBeNull();
    expect(safeHref("/\\evil.example")).toBeNull();
    expect(safeHref("vbscript:x")).toBeNull();
  });
});

describe("parseInline", () => {
  it("reads code, bold, italic and links, nested", () => {
    expect(parseInline("a `x*y*` b")).toEqual([
      { type: "text", text: "a " },
      { type: "code", text: "x*y*" },
      { type: "text", text: " b" },
    ]);
    expect(parseInline("**bold _and em_**")).toEqual([
      {
        type: "strong",
        children: [
          { type: "text", text: "bold " },
          { type: "em", children: [{ type: "text", text: "and em" }] },
        ],
      },
    ]);
    expect(parseInline("see [the brief](https://x.test/b)")).toEqual([
      { type: "text", text: "see " },
      { type: "link", href: "https://x.test/b", children: [{ type: "text", text: "the brief" }] },
    ]);
  });

  it("keeps an unsafe link as its text", () => {
    expect(parseInline("[click](javascript:alert(1))")).toEqual([{ type: "text", text: "click)" }]);
    expect(parseInline("[click](javascript:void)")).toEqual([{ type: "text", text: "click" }]);
  });

  it("links bare URLs without trailing punctuation", () => {
    expect(parseInline("Go to https://x.test/a.")).toEqual([
      { type: "text", text: "Go to " },
      { type: "link", href: "https://x.test/a", children: [{ type: "text", text: "https://x.test/a" }] },
      { type: "text", text: "." },
    ]);
  });

  it("leaves snake_case words and lone stars alone", () => {
    expect(parseInline("use snake_case_names and 2 * 3 * 4")).toEqual([
      { type: "text", text: "use snake_case_names and 2 * 3 * 4" },
    ]);
  });

  it("treats markup as text: no HTML reaches the page", () => {
    expect(parseInline("<img src=x onerror=alert(1)>")).toEqual([
      { type: "text", text: "<img src=x onerror=alert(1)>" },
    ]);
  });
});

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    const blocks = parseMarkdown("one\ntwo\n\nthree");
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toEqual({
      type: "paragraph",
      lines: [[{ type: "text", text: "one" }], [{ type: "text", text: "two" }]],
    });
  });

  it("reads headings, lists, quotes and fenced code", () => {
    const blocks = parseMarkdown("# Goal\n- a\n- b\n1. first\n2) second\n> said\n```\n<b>raw</b>\n```\nafter");
    expect(blocks.map((b) => b.type)).toEqual(["heading", "list", "list", "quote", "code", "paragraph"]);
    expect(blocks[1]).toMatchObject({ ordered: false, items: [[{ text: "a" }], [{ text: "b" }]] });
    expect(blocks[2]).toMatchObject({ ordered: true, items: [[{ text: "first" }], [{ text: "second" }]] });
    expect(blocks[4]).toEqual({ type: "code", text: "<b>raw</b>" });
  });

  it("closes an unterminated fence at the end", () => {
    expect(parseMarkdown("```\ncode")).toEqual([{ type: "code", text: "code" }]);
  });
});
