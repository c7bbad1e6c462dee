import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import { Lock, Plus } from "lucide-react";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { SectionTabs } from "#app/components/ui/section-tabs.tsx";

export const meta: MetaFunction = () => [{ title: "Invoices · Agency CRM" }];

/** The Invoices frame: owners and managers only (members get a 403 page that says why). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInvoicer(request, context.app);
  return null;
}

export default function InvoicesLayout() {
  const { pathname } = useLocation();
  const onList = pathname === "/invoices" || pathname === "/invoices/";
  // Recurring schedules are a section of their own; its pages offer a new schedule, not an invoice.
  const recurring = pathname.startsWith("/invoices/recurring");
  const creating = pathname.startsWith("/invoices/new") || pathname.startsWith("/invoices/recurring/new");
  const onRecurringList = /^\/invoices\/recurring\/?$/.test(pathname);
  return (
    <>
      <PageHeader
        title="Invoices"
        description="Invoices from tracked time, milestones and your own lines; payments recorded against them."
        actions={
          creating ? null : (
            <Button asChild size="sm" variant={onList || onRecurringList ? "primary" : "secondary"}>
              <Link to={recurring ? "/invoices/recurring/new" : "/invoices/new"}>
                <Plus className="h-4 w-4" aria-hidden="true" /> {recurring ? "New schedule" : "New invoice"}
              </Link>
            </Button>
          )
        }
      />
      {onList || recurring ? (
        <SectionTabs
          label="Invoice sections"
          tabs={[
            { to: "/invoices", label: "Invoices", end: true },
            { to: "/invoices/recurring", label: "Recurring" },
          ]}
        />
      ) : null}
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <>
        <PageHeader title="Invoices" />
        <EmptyState
          icon={<Lock className="h-6 w-6" />}
          title="Invoices are for owners and managers"
          action={
            <Link to="/" className="text-sm font-medium text-brand hover:underline">
              Back to the dashboard
            </Link>
          }
        >
          Your role in this agency does not include billing. An owner or manager can show you an invoice or change your
          role.
        </EmptyState>
      </>
    );
  }
  return <RouteErrorPanel backTo="/" backLabel="Back to the dashboard" />;
}
