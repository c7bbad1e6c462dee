import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Outlet, useLoaderData } from "@remix-run/react";
import { hexToRgb } from "#app/components/auth-shell.tsx";
import { getAccount } from "#app/models/account.server.ts";
import { pathOf } from "#app/utils/auth/guards.server.ts";

/** The client portal's frame, in the agency's colours. Only contacts with live access get in. */
export const meta: MetaFunction = () => [{ title: "Client portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await context.app.viewer();
  if (!viewer) throw redirect(`/portal/login?${new URLSearchParams({ next: pathOf(request) })}`);
  const account = await getAccount({ claims: viewer.claims });
  if (!account || account.portal.length === 0) {
    throw account?.memberships.length
      ? redirect("/")
      : new Response("You have no client portal access.", { status: 403 });
  }
  return { name: account.profile.name, access: account.portal };
}

export default function PortalLayout() {
  const { name, access } = useLoaderData<typeof loader>();
  const agency = access[0]!;
  return (
    <div className="min-h-full" style={{ "--brand-rgb": hexToRgb(agency.brand_color) } as React.CSSProperties}>
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-3">
            {agency.logo_url ? (
              <img src={agency.logo_url} alt={agency.agency_name} className="h-8 w-auto" />
            ) : (
              <span
                className="flex h-8 w-8 items-center justify-center rounded-md bg-brand font-bold text-white"
                aria-hidden="true"
              >
                {agency.agency_name.charAt(0)}
              </span>
            )}
            <span className="font-semibold">{agency.agency_name}</span>
            <span className="text-sm text-zinc-500">Client portal</span>
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-zinc-600 sm:inline">{name}</span>
            <Form method="post" action="/logout">
              <button className="rounded-md px-2 py-1 text-zinc-700 hover:bg-zinc-100">Sign out</button>
            </Form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-8">
        <Outlet />
      </main>
    </div>
  );
}

export { ErrorBoundary } from "#app/components/route-error.tsx";
