import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { billingOptions } from "#app/components/pipeline/deal-fields.tsx";
import { billingTypeLabel } from "#app/components/pipeline/project-labels.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import { createTemplate, listTemplates } from "#app/models/pipeline.server.ts";
import { billingType } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Project templates · Settings · Agency CRM" }];

const TemplateForm = z.object({
  name: z.string().trim().min(1, "Name the template.").max(120, "Use at most 120 characters."),
  description: z
    .string()
    .trim()
    .max(2000, "Use at most 2000 characters.")
    .transform((text) => text || null),
  billing_type: billingType,
  // One task per line; blank lines are spacing, not tasks.
  tasks: z
    .string()
    .transform((text) =>
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(200, "Each task has at most 200 characters.")).max(200, "Use at most 200 tasks.")),
  is_default: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  return { templates: await listTemplates({ claims: viewer.claims, agencyId }) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const form = await parseForm(request, TemplateForm);
  if (!form.ok) return form.response;
  try {
    await createTemplate({ claims: viewer.claims, agencyId, template: form.data });
    await context.app.toast({
      kind: "success",
      message: form.data.is_default ? `“${form.data.name}” is now the default template.` : "Template created.",
    });
    return redirect("/settings/templates");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

/**
 * What a won deal's project starts with. The default template applies unless a deal names
 * another; making a new one the default takes the flag from the old one (a database trigger).
 */
export default function TemplateSettings() {
  const { templates } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const { active } = useStaff();
  const readOnly = active.role === "member";
  const values = isFormFailure(failure) ? failure.values : {};
  const errors = isFormFailure(failure) ? failure.fieldErrors : {};

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
      <div className="space-y-4">
        {templates.map((template) => (
          <Card key={template.id}>
            <CardHeader
              title={template.name}
              description={
                <span className="flex flex-wrap items-center gap-2">
                  {template.is_default ? <Badge tone="brand">Default</Badge> : null}
                  <span>{billingTypeLabel[template.billing_type]}</span>
                  <span aria-hidden="true">·</span>
                  <span>
                    {template.tasks.length} {template.tasks.length === 1 ? "task" : "tasks"}
                  </span>
                </span>
              }
            />
            <div className="space-y-3 p-5 text-sm">
              {template.description ? <p className="text-zinc-600">{template.description}</p> : null}
              {template.tasks.length === 0 ? (
                <p className="text-zinc-500">No tasks: projects from this template start empty.</p>
              ) : (
                <ol className="list-inside list-decimal space-y-1 text-zinc-800 marker:text-zinc-400">
                  {template.tasks.map((task, index) => (
                    <li key={index}>{task}</li>
                  ))}
                </ol>
              )}
            </div>
          </Card>
        ))}
        {templates.length === 0 ? (
          <Card className="p-5 text-sm text-zinc-600">
            No templates. Won deals get projects without tasks until you create one.
          </Card>
        ) : null}
      </div>

      {readOnly ? (
        <Card className="h-fit p-5 text-sm text-zinc-600">Only owners and managers can create templates.</Card>
      ) : (
        <Card className="h-fit">
          <CardHeader title="New template" description="The task list a won deal's project starts with." />
          <Form key={templates.length} method="post" className="space-y-4 p-5" noValidate>
            <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
            <InputField
              label="Name"
              name="name"
              required
              maxLength={120}
              defaultValue={values.name}
              errors={errors.name}
            />
            <TextareaField
              label="Description (optional)"
              name="description"
              rows={2}
              maxLength={2000}
              defaultValue={values.description}
              errors={errors.description}
            />
            <SelectField
              label="Billing type"
              name="billing_type"
              options={billingOptions}
              defaultValue={values.billing_type ?? "fixed"}
              errors={errors.billing_type}
            />
            <TextareaField
              label="Tasks"
              name="tasks"
              rows={7}
              hint="One task per line, in order."
              placeholder={"Kick-off meeting\nDiscovery\nDesign\nBuild\nLaunch"}
              defaultValue={values.tasks}
              errors={errors.tasks ?? Object.entries(errors).find(([key]) => key.startsWith("tasks."))?.[1]}
            />
            <label className="flex items-center gap-2 text-sm text-zinc-800">
              <input
                type="checkbox"
                name="is_default"
                defaultChecked={values.is_default === "on"}
                className="h-4 w-4 rounded border-zinc-300 text-brand focus:ring-brand"
              />
              Make it the default for won deals
            </label>
            <Button type="submit" className="w-full" pending={navigation.state === "submitting"}>
              Create template
            </Button>
          </Form>
        </Card>
      )}
    </div>
  );
}
