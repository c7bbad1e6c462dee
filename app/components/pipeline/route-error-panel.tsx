import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { AlertTriangle } from "lucide-react";

/**
 * An error inside the staff shell: the navigation stays, the page says what went wrong and where
 * to go next. 404s come from loaders that found nothing the viewer may see.
 */
export function RouteErrorPanel({ backTo, backLabel }: { backTo: string; backLabel: string }) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 404 ? "Not found" : status === 403 ? "Not allowed" : "Something went wrong";
  const message =
    isRouteErrorResponse(error) && typeof error.data === "string" && error.data
      ? error.data
      : status === 404
        ? "It does not exist, or you do not have access to it."
        : "We could not load this page. Please try again.";
  return (
    <EmptyState
      icon={<AlertTriangle className="h-6 w-6" />}
      title={title}
      action={
        <Link to={backTo} className="text-sm font-medium text-brand hover:underline">
          {backLabel}
        </Link>
      }
    >
      {message}
    </EmptyState>
  );
}
