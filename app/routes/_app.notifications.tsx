import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Bell, CheckCheck } from "lucide-react";
import { z } from "zod";
import { PageHeader } from "#app/components/page-header.tsx";
import { formatDay } from "#app/components/pipeline/format.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { listNotifications, markRead } from "#app/models/notifications.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";

export const meta: MetaFunction = () => [{ title: "Notifications · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  return listNotifications({ claims: viewer.claims, agencyId, perPage: 100 });
}

const markSchema = z.object({ id: z.uuid().optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const parsed = markSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown notification.", { status: 400 });
  return markRead({ claims: viewer.claims, agencyId, ids: parsed.data.id ? [parsed.data.id] : undefined });
}

/** Budget alerts (and, later, approvals and payments) for the signed-in person in this agency. */
export default function NotificationsPage() {
  const { data, unread_count } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="Notifications"
        description={unread_count > 0 ? `${unread_count} unread` : "You are all caught up."}
        actions={
          unread_count > 0 ? (
            <Form method="post">
              <Button type="submit" variant="secondary" pending={busy}>
                <CheckCheck className="h-4 w-4" aria-hidden="true" /> Mark all read
              </Button>
            </Form>
          ) : null
        }
      />
      {data.length === 0 ? (
        <EmptyState icon={<Bell className="h-6 w-6" />} title="No notifications yet">
          Budget alerts for the projects you manage arrive here and by email.
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-zinc-100">
            {data.map((n) => (
              <li key={n.id} className={cn("flex items-start gap-3 px-5 py-4", !n.read_at && "bg-brand/5")}>
                <span
                  aria-hidden="true"
                  className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", n.read_at ? "bg-transparent" : "bg-brand")}
                />
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-zinc-900">
                    {n.link_path ? (
                      <Link to={n.link_path} className="hover:underline">
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                    {n.read_at ? null : <span className="sr-only"> (unread)</span>}
                  </p>
                  {n.body ? <p className="mt-0.5 text-sm text-zinc-600">{n.body}</p> : null}
                  <p className="mt-1 text-xs text-zinc-500">{formatDay(n.created_at)}</p>
                </div>
                {n.read_at ? null : (
                  <Form method="post">
                    <input type="hidden" name="id" value={n.id} />
                    <Button type="submit" variant="ghost" size="sm" aria-label={`Mark “${n.title}” read`}>
                      Mark read
                    </Button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
