import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown.tsx";

describe("<Markdown>", () => {
  it("escapes markup and renders only its own elements", () => {
    const html = renderToStaticMarkup(
      <Markdown source={"<script>alert(1)</script>\n**ok** [x](javascript:alert(1)) [y](https://y.test)"} />,
    );
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;<br/><strong>ok</strong>");
    expect(html).not.toContain('href="javascript');
    expect(html).toMatch(/<a href="https:\/\/y\.test" [^>]*target="_blank" rel="noopener noreferrer nofollow">y<\/a>/);
  });
});
