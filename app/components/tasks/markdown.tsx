import { Fragment, type ReactNode } from "react";
import { cn } from "#app/components/ui/cn.ts";
import { parseMarkdown, type Inline } from "./markdown.ts";

/** Renders a description's Markdown subset as React elements (see markdown.ts: no HTML, ever). */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const blocks = parseMarkdown(source);
  return (
    <div className={cn("space-y-3 break-words text-sm leading-relaxed text-zinc-800", className)}>
      {blocks.map((block, index) => {
        switch (block.type) {
          case "heading":
            return block.level <= 2 ? (
              <h3 key={index} className="text-base font-semibold text-zinc-900">
                {renderInline(block.content)}
              </h3>
            ) : (
              <h4 key={index} className="font-semibold text-zinc-900">
                {renderInline(block.content)}
              </h4>
            );
          case "list": {
            const List = block.ordered ? "ol" : "ul";
            return (
              <List key={index} className={cn("space-y-1 pl-5", block.ordered ? "list-decimal" : "list-disc")}>
                {block.items.map((item, itemIndex) => (
                  <li key={itemIndex}>{renderInline(item)}</li>
                ))}
              </List>
            );
          }
          case "quote":
            return (
              <blockquote key={index} className="border-l-2 border-zinc-300 pl-3 text-zinc-600">
                {renderLines(block.lines)}
              </blockquote>
            );
          case "code":
            return (
              <pre key={index} className="overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs text-zinc-800">
                <code>{block.text}</code>
              </pre>
            );
          default:
            return <p key={index}>{renderLines(block.lines)}</p>;
        }
      })}
    </div>
  );
}

function renderLines(lines: Inline[][]): ReactNode {
  return lines.map((line, index) => (
    <Fragment key={index}>
      {index > 0 ? <br /> : null}
      {renderInline(line)}
    </Fragment>
  ));
}

function renderInline(nodes: Inline[]): ReactNode {
  return nodes.map((node, index) => {
    switch (node.type) {
      case "text":
        return <Fragment key={index}>{node.text}</Fragment>;
      case "code":
        return (
          <code key={index} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs">
            {node.text}
          </code>
        );
      case "strong":
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case "em":
        return <em key={index}>{renderInline(node.children)}</em>;
      case "link": {
        const external = !node.href.startsWith("/");
        return (
          <a
            key={index}
            href={node.href}
            className="font-medium text-brand underline decoration-brand/40 hover:decoration-brand"
            {...(external ? { target: "_blank", rel: "noopener noreferrer nofollow" } : {})}
          >
            {renderInline(node.children)}
          </a>
        );
      }
    }
  });
}
