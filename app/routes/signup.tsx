import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { email, password, personName } from "#app/utils/api/schemas.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";

export const meta: MetaFunction = () => [{ title: "Create your account · Agency CRM" }];

const SignupForm = z.object({ name: personName, email, password });

export async function loader({ context }: LoaderFunctionArgs) {
  if (await context.app.viewer()) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, SignupForm);
  if (!form.ok) return form.response;
  try {
    const session = await authProvider().signUp(form.data);
    await context.app.signIn(session, { portal: false });
    return redirect("/onboarding");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function Signup() {
  const failure = useActionData<typeof action>();
  const values = isFormFailure(failure) ? failure.values : undefined;
  const errors = isFormFailure(failure) ? failure.fieldErrors : {};
  const navigation = useNavigation();
  return (
    <AuthShell
      title="Create your account"
      subtitle="Then set up your agency. It takes a minute."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" className="font-medium text-brand hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
        <InputField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          defaultValue={values?.name}
          errors={errors.name}
        />
        <InputField
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values?.email}
          errors={errors.email}
        />
        <InputField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters."
          errors={errors.password}
        />
        <Button type="submit" className="w-full" pending={navigation.state !== "idle"}>
          Create account
        </Button>
      </Form>
    </AuthShell>
  );
}
