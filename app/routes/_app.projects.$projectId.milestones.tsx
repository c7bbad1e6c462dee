import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Flag } from "lucide-react";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { MilestoneItem, type MilestoneView } from "#app/components/projects/milestone-item.tsx";
import { MilestoneAction } from "#app/components/projects/milestone-form.ts";
import { orNotFound, projectIdParam } from "#app/components/projects/route-data.server.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { FormError, InputField, TextareaField } from "#app/components/ui/field.tsx";
import { getProject } from "#app/models/projects.server.ts";
import { createMilestone, deleteMilestone, listMilestones, updateMilestone } from "#app/models/tasks.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { parseMoney } from "#app/utils/money.ts";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";

export const meta: MetaFunction = () => [{ title: "Milestones · Projects · Agency CRM" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = projectIdParam(params);
  const milestones = await orNotFound(listMilestones({ claims: viewer.claims, projectId }));
  return { milestones };
}

const statusToast: Record<string, string> = {
  pending: "Milestone set back to pending.",
  reached: "Milestone reached. It is on the client's timeline.",
  approved: "Milestone approved.",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = projectIdParam(params);
  const form = await parseForm(request, MilestoneAction);
  if (!form.ok) return form.response;
  const claims = viewer.claims;
  const input = form.data;
  try {
    if (input.intent === "delete") {
      await deleteMilestone({ claims, milestoneId: input.milestone_id, projectId });
      await context.app.toast({ kind: "success", message: "Milestone deleted." });
    } else if (input.intent === "status") {
      await updateMilestone({ claims, milestoneId: input.milestone_id, projectId, changes: { status: input.status } });
      await context.app.toast({ kind: "success", message: statusToast[input.status]! });
    } else {
      const project = await getProject({ claims, projectId });
      if (!project) throw new Response("There is no such project.", { status: 404 });
      const amount = parseMoney(input.amount ?? "", project.currency);
      if (amount !== null && Number.isNaN(amount)) {
        throw new AppError(422, "validation_failed", "Some fields need attention.", {
          amount: [`Enter an amount in ${project.currency}, such as 5000 or 5000.50.`],
        });
      }
      const fields = {
        title: input.title,
        description: input.description ?? null,
        due_date: input.due_date ?? null,
        amount_cents: amount,
      };
      if (input.intent === "create") {
        await createMilestone({ claims, projectId, input: fields });
        await context.app.toast({ kind: "success", message: `Milestone “${input.title}” added.` });
      } else {
        await updateMilestone({ claims, milestoneId: input.milestone_id, projectId, changes: fields });
        await context.app.toast({ kind: "success", message: "Milestone saved." });
      }
    }
    return redirect(`/projects/${projectId}/milestones`);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

/** The database reports a bad amount under its column; the forms call the field "amount". */
function formErrors(fieldErrors: Record<string, string[]>): Record<string, string[]> {
  const { amount_cents, ...rest } = fieldErrors;
  return amount_cents ? { ...rest, amount: amount_cents } : rest;
}

export default function ProjectMilestones() {
  const { milestones } = useLoaderData<typeof loader>();
  const { project } = useProjectLayout();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const canManage = project.can_manage;
  const closed = project.status === "completed" || project.status === "archived";
  const failed = (intent: string, milestoneId?: string) =>
    isFormFailure(failure) &&
    failure.values.intent === intent &&
    (milestoneId === undefined || failure.values.milestone_id === milestoneId)
      ? { ...failure, fieldErrors: formErrors(failure.fieldErrors) }
      : undefined;
  const createFailure = failed("create");
  const creating = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";
  const views: MilestoneView[] = milestones.map((m) => ({
    id: m.id,
    title: m.title,
    description: m.description,
    status: m.status,
    due_date: m.due_date,
    amount_cents: m.amount_cents,
    reached_at: m.reached_at,
    approved_at: m.approved_at,
    task_count: m.task_count,
    done_count: m.done_count,
  }));

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="self-start lg:col-span-2">
        <CardHeader
          title="Milestones"
          description="Dated deliverables. Reaching one puts it on the client's timeline; approved is final."
        />
        {views.length === 0 ? (
          <div className="p-5">
            <EmptyState icon={<Flag className="h-6 w-6" />} title="No milestones yet">
              {canManage
                ? "Add the deliverables the client signs off on, with a date and, for milestone billing, an amount."
                : "A manager adds the project's milestones."}
            </EmptyState>
          </div>
        ) : (
          <ol className="divide-y divide-zinc-100" aria-label="Milestones">
            {views.map((milestone) => (
              <MilestoneItem
                key={milestone.id}
                milestone={milestone}
                currency={project.currency}
                canManage={canManage}
                statusFailure={failed("status", milestone.id) ?? failed("delete", milestone.id)}
                editFailure={failed("update", milestone.id)}
              />
            ))}
          </ol>
        )}
      </Card>

      {canManage ? (
        <Card className="self-start">
          <CardHeader title="Add a milestone" />
          {closed ? (
            <p className="p-5 text-sm text-zinc-600">
              This project is {project.status === "archived" ? "archived" : "completed"}: it takes no new milestones.
              Set its status back to reopen it.
            </p>
          ) : (
            // Keyed by the count, so the fields empty themselves once a milestone is added.
            <Form
              key={milestones.length}
              method="post"
              className="space-y-4 p-5"
              noValidate
              aria-label="Add a milestone"
            >
              <input type="hidden" name="intent" value="create" />
              <FormError message={createFailure?.formError} />
              <InputField
                label="Title"
                name="title"
                required
                maxLength={200}
                defaultValue={createFailure?.values.title}
                errors={createFailure?.fieldErrors.title}
              />
              <InputField
                label="Due date (optional)"
                name="due_date"
                type="date"
                defaultValue={createFailure?.values.due_date}
                errors={createFailure?.fieldErrors.due_date}
              />
              <InputField
                label="Amount (optional)"
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                defaultValue={createFailure?.values.amount}
                errors={createFailure?.fieldErrors.amount}
                hint={`In ${project.currency}, for milestone billing.`}
              />
              <TextareaField
                label="Description (optional)"
                name="description"
                rows={3}
                maxLength={10000}
                defaultValue={createFailure?.values.description}
                errors={createFailure?.fieldErrors.description}
              />
              <Button type="submit" pending={creating}>
                Add milestone
              </Button>
            </Form>
          )}
        </Card>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
