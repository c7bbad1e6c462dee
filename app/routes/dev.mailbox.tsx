import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { devMailbox } from "#app/utils/email/mailer.server.ts";
import { env } from "#app/utils/env.server.ts";

/**
 * Local mode's inbox: every email the app "sent" while no email provider is configured, like
 * Supabase's local Inbucket. Off as soon as RESEND_API_KEY is set, and in Supabase mode.
 */
export const meta: MetaFunction = () => [{ title: "Dev mailbox · Agency CRM" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const config = env();
  if (!config.devMailbox)
    throw new Response("The dev mailbox is off: emails go to the configured provider.", { status: 404 });
  const box = devMailbox();
  const messages = await box.list();
  const selectedId = new URL(request.url).searchParams.get("id") ?? messages[0]?.id;
  const selected = selectedId ? await box.get(selectedId) : undefined;
  return {
    messages: messages.map(({ id, to, subject, sent_at }) => ({ id, to, subject, sent_at })),
    selected: selected && {
      ...selected,
      links: [...new Set(selected.text.match(/https?:\/\/[^\s)\]]+/g) ?? [])],
    },
  };
}

export default function DevMailbox() {
  const { messages, selected } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-6xl px-4 py-8">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Dev mailbox</h1>
          <p className="mt-1 text-sm text-zinc-600">
            Local mode keeps outgoing email here instead of sending it. Set RESEND_API_KEY to send for real.
          </p>
        </div>
        <Link to="/" className="text-sm font-medium text-brand hover:underline">
          Back to the app
        </Link>
      </div>
      {messages.length === 0 ? (
        <EmptyState
          icon={
            <svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M4 6h16v12H4z" />
              <path d="m4 7 8 6 8-6" />
            </svg>
          }
          title="No emails yet"
        >
          Invitations, sign-in links and invoices appear here a moment after they are sent.
        </EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-[20rem_1fr]">
          <Card className="overflow-hidden">
            <ul aria-label="Emails" className="divide-y divide-zinc-100">
              {messages.map((message) => (
                <li key={message.id}>
                  <Link
                    to={`?id=${message.id}`}
                    aria-current={message.id === selected?.id ? "true" : undefined}
                    className={cn("block px-4 py-3 hover:bg-zinc-50", message.id === selected?.id && "bg-brand/5")}
                  >
                    <p className="truncate text-sm font-medium">{message.subject}</p>
                    <p className="truncate text-xs text-zinc-500">
                      To {message.to} · {new Date(message.sent_at).toLocaleString()}
                    </p>
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
          {selected ? (
            <Card className="overflow-hidden">
              <div className="space-y-1 border-b border-zinc-100 px-5 py-4 text-sm">
                <h2 className="text-base font-semibold">{selected.subject}</h2>
                <p className="text-zinc-600">
                  From {selected.from} to <strong>{selected.to}</strong>
                </p>
                {selected.links.length > 0 ? (
                  <ul aria-label="Links in this email" className="flex flex-wrap gap-2 pt-2">
                    {selected.links.map((link) => (
                      <li key={link}>
                        <a
                          href={link}
                          className="inline-block max-w-full truncate rounded-md bg-brand px-3 py-1.5 text-xs font-medium text-white hover:bg-brand/90"
                        >
                          Open {new URL(link).pathname.split("/")[1] === "invite" ? "invitation" : "link"}:{" "}
                          {new URL(link).pathname.slice(0, 24)}…
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {selected.attachments && selected.attachments.length > 0 ? (
                  <ul aria-label="Attachments" className="flex flex-wrap gap-2 pt-2">
                    {selected.attachments.map((attachment) => (
                      <li key={attachment.file}>
                        <a
                          href={`/dev/mailbox/${selected.id}/${encodeURIComponent(attachment.file)}`}
                          target="_blank"
                          rel="noreferrer"
                          className="inline-flex items-center gap-1.5 rounded-md border border-zinc-200 px-3 py-1.5 text-xs font-medium hover:bg-zinc-50"
                        >
                          <svg
                            aria-hidden="true"
                            width="14"
                            height="14"
                            viewBox="0 0 24 24"
                            fill="none"
                            stroke="currentColor"
                            strokeWidth="2"
                          >
                            <path d="M21.44 11.05 12.25 20.24a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
                          </svg>
                          {attachment.filename}
                          <span className="text-zinc-500">({formatSize(attachment.size)})</span>
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
              <iframe title="Email preview" srcDoc={selected.html} sandbox="" className="h-[32rem] w-full bg-zinc-50" />
            </Card>
          ) : null}
        </div>
      )}
    </main>
  );
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
}

export { ErrorBoundary } from "#app/components/route-error.tsx";
