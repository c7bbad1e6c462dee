import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { completeSignIn } from "#app/utils/auth/sign-in.server.ts";

/**
 * Magic-link landing. Opening the link only shows a button: the single-use token is spent by the
 * POST, so mail scanners that prefetch links cannot burn it before the person clicks.
 */
export const meta: MetaFunction = () => [{ title: "Sign in · Agency CRM" }];

const tokenParams = ["token", "token_hash", "type", "next"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const params = Object.fromEntries(tokenParams.map((name) => [name, url.searchParams.get(name) ?? ""]));
  return { params, hasToken: Boolean(params.token || params.token_hash) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const params = new URLSearchParams();
  for (const name of tokenParams) {
    const value = form.get(name);
    if (typeof value === "string" && value) params.set(name, value);
  }
  const session = await authProvider().verifyMagicLink(params);
  if (!session) return { error: "This sign-in link has expired or was already used. Request a new one." };
  return completeSignIn(context.app, session, params.get("next"));
}

export default function MagicLink() {
  const { params, hasToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <AuthShell
      title="Sign in"
      subtitle={
        hasToken ? "Continue to sign in with the link from your email." : "This page needs the link from your email."
      }
      footer={
        <Link to="/login" className="font-medium text-brand hover:underline">
          Request a new link
        </Link>
      }
    >
      <FormError
        message={result?.error ?? (hasToken ? undefined : "The link is incomplete. Open it again from the email.")}
      />
      {hasToken && !result?.error ? (
        <Form method="post" className="space-y-4">
          {tokenParams.map((name) =>
            params[name] ? <input key={name} type="hidden" name={name} value={params[name]} /> : null,
          )}
          <Button type="submit" className="w-full" pending={navigation.state !== "idle"}>
            Continue
          </Button>
        </Form>
      ) : null}
    </AuthShell>
  );
}
