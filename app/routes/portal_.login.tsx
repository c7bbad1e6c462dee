import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { LinkSent } from "#app/components/link-sent.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { consume } from "#app/utils/api/rate-limit.server.ts";
import { email } from "#app/utils/api/schemas.ts";
import { safeNext } from "#app/utils/auth/guards.server.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { env } from "#app/utils/env.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";

/** Client contacts sign in with emailed links only; the answer never says whether the email is known. */
export const meta: MetaFunction = () => [{ title: "Client portal sign-in" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (await context.app.viewer()) throw redirect("/portal");
  return { devMailbox: env().devMailbox };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, z.object({ email, next: z.string().optional() }));
  if (!form.ok) return form.response;
  try {
    await consume("signIn", `${context.app.clientIp}:${form.data.email}`);
    await authProvider().sendMagicLink({ email: form.data.email, next: safeNext(form.data.next, "/portal") });
    return { sent: form.data.email };
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function PortalLogin() {
  const { devMailbox } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = isFormFailure(result) ? result : undefined;
  const sent = result && "sent" in result ? result.sent : undefined;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <AuthShell title="Client portal" subtitle="We email you a link that signs you in. No password needed.">
      {sent ? (
        <LinkSent devMailbox={devMailbox}>
          If <strong>{sent}</strong> has portal access, a sign-in link is on its way.
        </LinkSent>
      ) : (
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="next" value={params.get("next") ?? "/portal"} />
          <FormError message={failure?.formError} />
          <InputField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={failure?.values.email}
            errors={failure?.fieldErrors.email}
          />
          <Button type="submit" className="w-full" pending={navigation.state !== "idle"}>
            Email me a sign-in link
          </Button>
        </Form>
      )}
    </AuthShell>
  );
}
