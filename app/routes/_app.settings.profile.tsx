import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Button } from "#app/components/ui/button.tsx";
import { Avatar, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { updateProfile } from "#app/models/account.server.ts";
import { password, personName, timezone } from "#app/utils/api/schemas.ts";
import { requireViewer } from "#app/utils/auth/guards.server.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { validationError } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { storePublicImage } from "#app/utils/storage.server.ts";
import { timezoneOptions } from "#app/utils/timezones.ts";
import { readImageForm } from "#app/utils/uploads.server.ts";
import { useStaff } from "./_app.tsx";

const ProfileForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("profile"), name: personName, timezone, remove_avatar: z.string().optional() }),
  z.object({ intent: z.literal("password"), password }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireViewer(request, context.app);
  return { timezones: timezoneOptions() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context.app);
  let values: Record<string, string> = {};
  try {
    const form = await readImageForm(request);
    values = form.values;
    const parsed = ProfileForm.safeParse(values);
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    if (input.intent === "profile") {
      const avatar = form.files.avatar;
      const avatar_url = avatar
        ? await storePublicImage(avatar, `avatars/${viewer.userId}`, "avatar")
        : input.remove_avatar
          ? null
          : undefined;
      await updateProfile({ claims: viewer.claims, name: input.name, timezone: input.timezone, avatar_url });
      await context.app.toast({ kind: "success", message: "Profile saved." });
    } else {
      await authProvider().setPassword({ claims: viewer.claims, password: input.password });
      await context.app.toast({ kind: "success", message: "Password set. You can sign in with it from now on." });
    }
    return redirect("/settings/profile");
  } catch (error) {
    return formFailure(error, values);
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
        <Form method="post" encType="multipart/form-data" className="grid gap-4 p-5 sm:grid-cols-2" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <div className="flex flex-wrap items-end gap-4 sm:col-span-2">
            <Avatar name={profile.name} url={profile.avatar_url} size={56} />
            <InputField
              label="Photo"
              name="avatar"
              type="file"
              accept="image/png,image/jpeg,image/webp,image/gif"
              hint="PNG, JPEG, WebP or GIF, up to 1 MB."
              errors={profileFailure?.fieldErrors.avatar}
            />
            {profile.avatar_url ? (
              <label className="flex items-center gap-2 text-sm text-zinc-700">
                <input type="checkbox" name="remove_avatar" value="1" className="rounded border-zinc-300" /> Remove
                photo
              </label>
            ) : null}
          </div>
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
        <Form method="post" encType="multipart/form-data" className="space-y-4 p-5" noValidate>
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
