import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { AuthShell } from "./auth-shell.tsx";

/** A thrown Response's text shown in the signed-out frame (invalid links and the like). */
export function ErrorBoundary() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "Something went wrong.";
  return (
    <AuthShell
      title="That did not work"
      footer={
        <Link to="/login" className="font-medium text-brand hover:underline">
          Go to sign in
        </Link>
      }
    >
      <p role="alert" className="text-sm text-zinc-700">
        {message}
      </p>
    </AuthShell>
  );
}
