import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { acceptInvitation, previewInvitation } from "#app/models/invitation.server.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";

/**
 * Where an invitation email leads. The token proves the person reads that mailbox, so accepting
 * signs them in as that email (creating a passwordless account if needed) and then accepts as
 * them. Opening the page spends nothing; only the button does.
 */
export const meta: MetaFunction = () => [{ title: "Invitation · Agency CRM" }];

const roleWords = { owner: "an owner", manager: "a manager", member: "a team member" } as const;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const preview = await previewInvitation({ token: params.token ?? "" });
  if (!preview) throw new Response("This invitation link is not valid.", { status: 404 });
  const viewer = await context.app.viewer();
  return { preview, signedInAs: viewer?.email ?? null };
}

export async function action({ params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const preview = await previewInvitation({ token });
  if (!preview || preview.status !== "pending") return { error: "This invitation can no longer be used." };
  try {
    let viewer = await context.app.viewer();
    if (!viewer || viewer.email.toLowerCase() !== preview.email) {
      if (viewer) await context.app.signOut();
      const session = await authProvider().signInVerifiedEmail({ email: preview.email, name: preview.name });
      await context.app.signIn(session, { portal: preview.kind === "portal" });
      viewer = await context.app.viewer();
      if (!viewer) throw new Error("the new session could not be verified");
    }
    const accepted = await acceptInvitation({ claims: viewer.claims, token });
    if (accepted.kind === "portal") {
      await context.app.toast({ kind: "success", message: `Welcome to the ${preview.agency_name} client portal.` });
      return redirect("/portal");
    }
    await context.app.setActiveAgency(accepted.agency_id);
    await context.app.toast({ kind: "success", message: `Welcome to ${preview.agency_name}.` });
    return redirect("/");
  } catch (error) {
    return { error: toAppError(error).message };
  }
}

export default function Invitation() {
  const { preview, signedInAs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const brand = { name: preview.agency_name, logoUrl: preview.logo_url, color: preview.brand_color };
  const otherAccount = signedInAs && signedInAs.toLowerCase() !== preview.email;
  const closed = {
    expired: "This invitation has expired. Ask whoever invited you to send a new one.",
    accepted: "This invitation was already accepted. Sign in to continue.",
    revoked: "This invitation was withdrawn.",
  } as const;

  return (
    <AuthShell
      brand={brand}
      title={preview.kind === "portal" ? `${preview.agency_name} client portal` : `Join ${preview.agency_name}`}
      subtitle={
        preview.kind === "portal"
          ? "See your projects, deliverables and invoices in one place."
          : `You are invited as ${roleWords[preview.role ?? "member"]}.`
      }
      footer={
        <Link
          to={preview.kind === "portal" ? "/portal/login" : "/login"}
          className="font-medium text-brand hover:underline"
        >
          Already joined? Sign in
        </Link>
      }
    >
      {preview.status !== "pending" ? (
        <FormError message={closed[preview.status]} />
      ) : (
        <Form method="post" className="space-y-4">
          <FormError message={result?.error} />
          <p className="text-sm text-zinc-700">
            The invitation is for <strong>{preview.email}</strong>.
          </p>
          {otherAccount ? (
            <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
              You are signed in as {signedInAs}. Accepting signs you out and continues as {preview.email}.
            </p>
          ) : null}
          <Button type="submit" className="w-full" pending={navigation.state !== "idle"}>
            {preview.kind === "portal" ? "Open the portal" : "Accept and join"}
          </Button>
        </Form>
      )}
    </AuthShell>
  );
}

export { ErrorBoundary } from "#app/components/route-error.tsx";
