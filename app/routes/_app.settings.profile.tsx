import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { updateProfile } from "#app/models/account.server.ts";
import { password, personName, timezone } from "#app/utils/api/schemas.ts";
import { requireViewer } from "#app/utils/auth/guards.server.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { timezoneOptions } from "#app/utils/timezones.ts";
import { useStaff } from "./_app.tsx";

const ProfileForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("profile"), name: personName, timezone }),
  z.object({ intent: z.literal("password"), password }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireViewer(request, context.app);
  return { timezones: timezoneOptions() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context.app);
  const form = await parseForm(request, ProfileForm);
  if (!form.ok) return form.response;
  try {
    if (form.data.intent === "profile") {
      await updateProfile({ claims: viewer.claims, name: form.data.name, timezone: form.data.timezone });
      await context.app.toast({ kind: "success", message: "Profile saved." });
    } else {
      await authProvider().setPassword({ claims: viewer.claims, password: form.data.password });
      await context.app.toast({ kind: "success", message: "Password set. You can sign in with it from now on." });
    }
    return redirect("/settings/profile");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function ProfileSettings() {
  const { timezones } = useLoaderData<typeof loader>();
  const { profile } = useStaff();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const profileFailure = isFormFailure(failure) && failure.values.intent === "profile" ? failure : undefined;
  const passwordFailure = isFormFailure(failure) && failure.values.intent === "password" ? failure : undefined;
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  return (
    <div className="grid max-w-3xl gap-6">
      <Card>
        <CardHeader
          title="Your profile"
          description={`Signed in as ${profile.email}. Your time zone decides which day your time counts on.`}
        />
        <Form method="post" className="grid gap-4 p-5 sm:grid-cols-2" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <FormError message={profileFailure?.formError} />
          <InputField
            label="Name"
            name="name"
            autoComplete="name"
            defaultValue={profileFailure?.values.name ?? profile.name}
            errors={profileFailure?.fieldErrors.name}
          />
          <SelectField
            label="Time zone"
            name="timezone"
            options={timezones}
            defaultValue={profileFailure?.values.timezone ?? profile.timezone}
            errors={profileFailure?.fieldErrors.timezone}
          />
          <div className="flex justify-end sm:col-span-2">
            <Button type="submit" pending={busy("profile")}>
              Save profile
            </Button>
          </div>
        </Form>
      </Card>
      <Card>
        <CardHeader
          title="Password"
          description="Set or change the password you sign in with. Email links keep working either way."
        />
        <Form method="post" className="space-y-4 p-5" noValidate>
          <input type="hidden" name="intent" value="password" />
          <FormError message={passwordFailure?.formError} />
          <InputField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            hint="At least 8 characters."
            errors={passwordFailure?.fieldErrors.password}
          />
          <div className="flex justify-end">
            <Button type="submit" variant="secondary" pending={busy("password")}>
              Set password
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
