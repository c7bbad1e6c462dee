import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { LinkSent } from "#app/components/link-sent.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { consume } from "#app/utils/api/rate-limit.server.ts";
import { email } from "#app/utils/api/schemas.ts";
import { safeNext } from "#app/utils/auth/guards.server.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { completeSignIn } from "#app/utils/auth/sign-in.server.ts";
import { env } from "#app/utils/env.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · Agency CRM" }];

const PasswordForm = z.object({
  intent: z.literal("password"),
  email,
  password: z.string().min(1, "Enter your password."),
  next: z.string().optional(),
});
const MagicForm = z.object({ intent: z.literal("magic"), email, next: z.string().optional() });
const OAuthForm = z.object({ intent: z.literal("oauth"), provider: z.enum(["google", "github"]) });

export async function loader({ context }: LoaderFunctionArgs) {
  if (await context.app.viewer()) throw redirect("/");
  const config = env();
  const providers = config.isSupabaseMode
    ? (config.SUPABASE_OAUTH_PROVIDERS ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p === "google" || p === "github")
    : [];
  return { providers, devMailbox: config.devMailbox };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, z.discriminatedUnion("intent", [PasswordForm, MagicForm, OAuthForm]));
  if (!form.ok) return form.response;
  const input = form.data;
  try {
    if (input.intent === "oauth") {
      const provider = authProvider();
      if (!provider.startOAuth) throw new AppError(400, "oauth_unavailable", "Social sign-in needs Supabase mode.");
      const headers = new Headers();
      const url = await provider.startOAuth(input.provider, request, headers);
      return redirect(url, { headers });
    }
    await consume("signIn", `${context.app.clientIp}:${input.email}`);
    if (input.intent === "magic") {
      await authProvider().sendMagicLink({ email: input.email, next: safeNext(input.next) });
      return { sent: input.email };
    }
    const session = await authProvider().signInWithPassword({ email: input.email, password: input.password });
    if (!session) throw new AppError(401, "invalid_credentials", "Email or password is incorrect.");
    return completeSignIn(context.app, session, input.next ?? null);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function Login() {
  const { providers, devMailbox } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = isFormFailure(result) ? result : undefined;
  const sent = result && "sent" in result ? result.sent : undefined;
  const [params] = useSearchParams();
  const next = params.get("next") ?? "";
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;

  return (
    <AuthShell
      title="Sign in"
      subtitle="Welcome back. Use your password or get a one-time link by email."
      footer={
        <>
          New here?{" "}
          <Link to="/signup" className="font-medium text-brand hover:underline">
            Create your agency
          </Link>
          <span className="mx-2 text-zinc-300">·</span>
          <Link to="/portal/login" className="font-medium text-brand hover:underline">
            Client portal
          </Link>
        </>
      }
    >
      {sent ? (
        <LinkSent devMailbox={devMailbox} className="mb-6">
          If an account exists for <strong>{sent}</strong>, a sign-in link is on its way. It works once and expires
          soon.
        </LinkSent>
      ) : null}
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="intent" value="password" />
        <input type="hidden" name="next" value={next} />
        <FormError
          message={failure?.values.intent === "password" || !failure?.values.intent ? failure?.formError : undefined}
        />
        <InputField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={failure?.values.email}
          errors={failure?.values.intent === "password" ? failure.fieldErrors.email : undefined}
        />
        <InputField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={failure?.fieldErrors.password}
        />
        <Button type="submit" className="w-full" pending={busy("password")}>
          Sign in
        </Button>
      </Form>

      <div className="my-6 flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-400">
        <span className="h-px flex-1 bg-zinc-200" /> or <span className="h-px flex-1 bg-zinc-200" />
      </div>

      <Form method="post" className="space-y-3" noValidate>
        <input type="hidden" name="intent" value="magic" />
        <input type="hidden" name="next" value={next} />
        {failure?.values.intent === "magic" ? <FormError message={failure.formError} /> : null}
        <InputField
          label="Email me a sign-in link"
          name="email"
          type="email"
          autoComplete="email"
          placeholder="you@agency.com"
          defaultValue={failure?.values.email}
          errors={failure?.values.intent === "magic" ? failure.fieldErrors.email : undefined}
        />
        <Button type="submit" variant="secondary" className="w-full" pending={busy("magic")}>
          Send link
        </Button>
      </Form>

      {providers.length > 0 ? (
        <Form method="post" className="mt-6 grid gap-2">
          <input type="hidden" name="intent" value="oauth" />
          {providers.map((provider) => (
            <Button key={provider} type="submit" name="provider" value={provider} variant="secondary">
              Continue with {provider === "google" ? "Google" : "GitHub"}
            </Button>
          ))}
        </Form>
      ) : null}
    </AuthShell>
  );
}
