/**
 * A small Markdown subset for task descriptions, parsed into plain data that React renders as
 * elements — never as HTML, so a description cannot inject markup or script, whatever it says.
 * Paragraphs (single newlines kept), headings, bullet and numbered lists, quotes, fenced code,
 * `code`, **bold**, *italic* or _italic_, [links](https://…) and bare URLs. Links only to http(s),
 * mailto and paths on this site; anything else stays text. No dependency: the subset is what
 * people type into a task, and a full Markdown library would need an HTML sanitiser too.
 */
export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong" | "em"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] };

export type Block =
  | { type: "paragraph"; lines: Inline[][] }
  | { type: "heading"; level: number; content: Inline[] }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  | { type: "quote"; lines: Inline[][] }
  | { type: "code"; text: string };

/** A link target that cannot run script or leave the allowed schemes. */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  if (/^https?:\/\/[^\s]+$/i.test(trimmed) || /^mailto:[^\s]+$/i.test(trimmed)) return trimmed;
  if (/^\/(?![/\\])[^\s]*$/.test(trimmed)) return trimmed;
  return null;
}

const inlinePattern = new RegExp(
  [
    /`([^`\n]+)`/.source, // 1 code
    /\*\*(?=\S)(.+?)(?<=\S)\*\*/.source, // 2 strong
    /\[([^\]\n]+)\]\(([^)\s]+)\)/.source, // 3 text, 4 url
    /(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])/.source, // 5 em
    /(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])/.source, // 6 em
    /(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/.source, // 7 bare URL
  ].join("|"),
);

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  while (rest) {
    const match = inlinePattern.exec(rest);
    if (!match) {
      pushText(out, rest);
      break;
    }
    if (match.index > 0) pushText(out, rest.slice(0, match.index));
    const [whole, code, strong, linkText, linkUrl, star, underscore, bare] = match;
    if (code !== undefined) out.push({ type: "code", text: code });
    else if (strong !== undefined) out.push({ type: "strong", children: parseInline(strong) });
    else if (linkText !== undefined) {
      const href = safeHref(linkUrl!);
      if (href) out.push({ type: "link", href, children: parseInline(linkText) });
      else pushText(out, linkText);
    } else if (star !== undefined || underscore !== undefined) {
      out.push({ type: "em", children: parseInline((star ?? underscore)!) });
    } else if (bare !== undefined) out.push({ type: "link", href: bare, children: [{ type: "text", text: bare }] });
    rest = rest.slice(match.index + whole.length);
  }
  return out;
}

function pushText(out: Inline[], text: string) {
  const last = out.at(-1);
  if (last?.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

const bullet = /^\s*[-*+]\s+(.*)$/;
const numbered = /^\s*\d{1,9}[.)]\s+(.*)$/;
const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const quote = /^\s*>\s?(.*)$/;
const fence = /^\s*```/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: "paragraph", lines: paragraph.map(parseInline) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (fence.test(line)) {
      flush();
      const code: string[] = [];
      for (i += 1; i < lines.length && !fence.test(lines[i]!); i += 1) code.push(lines[i]!);
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const h = heading.exec(line);
    if (h) {
      flush();
      blocks.push({ type: "heading", level: h[1]!.length, content: parseInline(h[2]!) });
      continue;
    }
    const listKind = bullet.test(line) ? bullet : numbered.test(line) ? numbered : null;
    if (listKind) {
      flush();
      const items: Inline[][] = [];
      for (; i < lines.length && listKind.test(lines[i]!); i += 1)
        items.push(parseInline(listKind.exec(lines[i]!)![1]!));
      i -= 1;
      blocks.push({ type: "list", ordered: listKind === numbered, items });
      continue;
    }
    if (quote.test(line)) {
      flush();
      const quoted: Inline[][] = [];
      for (; i < lines.length && quote.test(lines[i]!); i += 1) quoted.push(parseInline(quote.exec(lines[i]!)![1]!));
      i -= 1;
      blocks.push({ type: "quote", lines: quoted });
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return blocks;
}
