import { Check, Copy, ExternalLink, FileDown } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";

/**
 * The client's pay link for an issued invoice with money due, to paste into a chat or an email of
 * one's own, and the PDF. Without JavaScript the link is a plain, selectable field; the copy
 * button appears once the page can use the clipboard.
 */
export function PayLinkCard({ payUrl, pdfPath }: { payUrl: string | null; pdfPath: string }) {
  return (
    <Card>
      <CardHeader
        title="Client link and PDF"
        description={payUrl ? "Anyone with the link can see and pay this invoice." : undefined}
      />
      <div className="space-y-3 p-5">
        {payUrl ? <PayLink url={payUrl} /> : null}
        <Button asChild variant="secondary" size="sm">
          <a href={pdfPath} target="_blank" rel="noreferrer">
            <FileDown className="h-4 w-4" aria-hidden="true" />
            Download PDF
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </Button>
      </div>
    </Card>
  );
}

function PayLink({ url }: { url: string }) {
  const hydrated = useHydrated();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      // Clipboard refused (permissions, insecure origin): the field stays there to copy by hand.
      setCopied("failed");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 4000);
  }

  return (
    <div className="space-y-2">
      <label htmlFor="pay-link" className="block text-sm font-medium text-zinc-800">
        Pay link
      </label>
      <input
        id="pay-link"
        readOnly
        value={url}
        onFocus={(event) => event.currentTarget.select()}
        className="block w-full truncate rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs text-zinc-700"
      />
      <div className="flex flex-wrap items-center gap-2">
        {hydrated ? (
          <Button type="button" variant="secondary" size="sm" onClick={copy}>
            {copied === "yes" ? (
              <Check className="h-4 w-4 text-emerald-600" aria-hidden="true" />
            ) : (
              <Copy className="h-4 w-4" aria-hidden="true" />
            )}
            Copy pay link
          </Button>
        ) : null}
        <Button asChild variant="ghost" size="sm">
          <a href={url} target="_blank" rel="noopener noreferrer">
            <ExternalLink className="h-4 w-4" aria-hidden="true" />
            Open as the client sees it
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </Button>
        <span role="status" className="text-xs text-zinc-600">
          {copied === "yes"
            ? "Copied."
            : copied === "failed"
              ? "Copying is blocked here: select the link and copy it."
              : ""}
        </span>
      </div>
    </div>
  );
}
