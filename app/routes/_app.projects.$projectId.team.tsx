import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RefreshCw, UserMinus, Users } from "lucide-react";
import { z } from "zod";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { ConfirmForm } from "#app/components/projects/confirm-form.tsx";
import { projectIdParam } from "#app/components/projects/route-data.server.ts";
import { TeamAction } from "#app/components/projects/team-form.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Avatar, Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { addTeamMember, assignableMembers, getProject, removeTeamMember } from "#app/models/projects.server.ts";
import { applyCurrentRates } from "#app/models/time-entries.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { centsToInput, formatMoney, parseMoney } from "#app/utils/money.ts";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";

export const meta: MetaFunction = () => [{ title: "Team · Projects · Agency CRM" }];

/** The team forms, and the managers' "apply current rates to unbilled time". */
const TeamPageAction = z.discriminatedUnion("intent", [
  ...TeamAction.options,
  z.object({ intent: z.literal("apply_rates") }),
]);

const roleLabel: Record<string, string> = { owner: "Owner", manager: "Manager", member: "Member" };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  projectIdParam(params);
  // For the managers' picker; members see the agency's people on the settings page anyway.
  const members = await assignableMembers({ claims: viewer.claims, agencyId });
  return { members: members.map((m) => ({ user_id: m.user_id, name: m.name, role: m.role })) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = projectIdParam(params);
  const form = await parseForm(request, TeamPageAction);
  if (!form.ok) return form.response;
  const claims = viewer.claims;
  const input = form.data;
  try {
    if (input.intent === "apply_rates") {
      // Unbilled entries only (the database leaves invoiced time alone); managers only (42501 otherwise).
      const changed = await applyCurrentRates({ claims, projectId });
      await context.app.toast({
        kind: "success",
        message:
          changed === 0
            ? "Every unbilled entry already has the current rate."
            : `Current rates applied to ${changed} unbilled ${changed === 1 ? "entry" : "entries"}.`,
      });
    } else if (input.intent === "remove") {
      await removeTeamMember({ claims, projectId, userId: input.user_id });
      await context.app.toast({ kind: "success", message: "Removed from the team." });
    } else {
      const project = await getProject({ claims, projectId });
      if (!project) throw new Response("There is no such project.", { status: 404 });
      const rate = parseMoney(input.rate ?? "", project.currency);
      if (rate !== null && Number.isNaN(rate)) {
        throw new AppError(422, "validation_failed", "Some fields need attention.", {
          rate: [`Enter an hourly rate in ${project.currency}, such as 95 or 95.50.`],
        });
      }
      await addTeamMember({ claims, projectId, userId: input.user_id, billableRateCents: rate });
      await context.app.toast({
        kind: "success",
        message: input.intent === "add" ? "Added to the team." : "Rate saved.",
      });
    }
    return redirect(`/projects/${projectId}/team`);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function ProjectTeam() {
  const { members } = useLoaderData<typeof loader>();
  const { project, viewerId } = useProjectLayout();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const canManage = project.can_manage;
  const failed = (intent: string, userId?: string) =>
    isFormFailure(failure) &&
    failure.values.intent === intent &&
    (userId === undefined || failure.values.user_id === userId)
      ? failure
      : undefined;
  const addFailure = failed("add");
  const removeFailure = failed("remove");
  const ratesFailure = failed("apply_rates");
  const onTeam = new Set(project.team.map((m) => m.user_id));
  const candidates = members.filter((m) => !onTeam.has(m.user_id));
  const rate = (cents: number | null) => (cents === null ? null : `${formatMoney(cents, project.currency)} / h`);
  const adding = navigation.state === "submitting" && navigation.formData?.get("intent") === "add";

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="self-start lg:col-span-2">
        <CardHeader
          title="Team"
          description={
            canManage
              ? "Tasks can only be assigned to people on the team. A project rate here beats every other rate."
              : "The people working on this project."
          }
        />
        {removeFailure?.formError ? (
          <div className="px-5 pt-4">
            <FormError message={removeFailure.formError} />
          </div>
        ) : null}
        {project.team.length === 0 ? (
          <div className="p-5">
            <EmptyState icon={<Users className="h-6 w-6" />} title="Nobody on the team yet">
              {canManage ? "Add the people who will work on it." : "A manager adds people to the team."}
            </EmptyState>
          </div>
        ) : (
          <ul className="divide-y divide-zinc-100" aria-label="Team members">
            {project.team.map((member) => {
              const rateFailure = failed("rate", member.user_id);
              return (
                <li key={member.user_id} className="relative flex flex-wrap items-center gap-x-4 gap-y-3 px-5 py-4">
                  <Avatar name={member.name} url={member.avatar_url} size={36} />
                  <div className="min-w-0 flex-1 basis-48">
                    <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
                      {member.name}
                      {member.user_id === viewerId ? (
                        <span className="text-xs font-normal text-zinc-500">(you)</span>
                      ) : null}
                      {member.user_id === project.manager_id ? <Badge tone="brand">Project manager</Badge> : null}
                    </p>
                    <p className="truncate text-xs text-zinc-500">
                      {roleLabel[member.role] ?? member.role} · {member.email}
                    </p>
                  </div>
                  {canManage ? (
                    // On a phone this row wraps under the name, indented past the avatar.
                    <div className="ml-[3.25rem] flex flex-wrap items-center gap-x-4 gap-y-2 sm:ml-0">
                      <dl className="grid grid-cols-2 gap-x-4 text-xs sm:text-right">
                        <div>
                          <dt className="text-zinc-500">Project rate</dt>
                          <dd className="font-medium tabular-nums text-zinc-800">
                            {rate(member.billable_rate_cents) ?? "—"}
                          </dd>
                        </div>
                        <div>
                          <dt className="text-zinc-500">Effective rate</dt>
                          <dd className="font-medium tabular-nums text-zinc-800">
                            {rate(member.effective_rate_cents) ?? "Not set"}
                          </dd>
                        </div>
                      </dl>
                      <div className="flex items-center gap-1">
                        {/* The rate form opens under the whole row (positioned on the li), so it fits a phone too. */}
                        <details open={Boolean(rateFailure)}>
                          <summary className="cursor-pointer list-none rounded-md px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
                            Rate<span className="sr-only"> of {member.name}</span>
                          </summary>
                          <Form
                            method="post"
                            className="absolute right-5 top-full z-10 -mt-2 w-72 max-w-[calc(100%-2.5rem)] space-y-3 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg"
                          >
                            <input type="hidden" name="intent" value="rate" />
                            <input type="hidden" name="user_id" value={member.user_id} />
                            <InputField
                              label={`Project rate of ${member.name}`}
                              name="rate"
                              inputMode="decimal"
                              autoComplete="off"
                              defaultValue={
                                rateFailure?.values.rate ?? centsToInput(member.billable_rate_cents, project.currency)
                              }
                              errors={rateFailure?.fieldErrors.rate}
                              hint={`Per hour in ${project.currency}; empty uses the usual rate.`}
                            />
                            <Button type="submit" size="sm">
                              Save rate
                            </Button>
                          </Form>
                        </details>
                        <ConfirmForm
                          fields={{ intent: "remove", user_id: member.user_id }}
                          trigger={<UserMinus className="h-4 w-4" aria-hidden="true" />}
                          triggerLabel={`Remove ${member.name} from the team`}
                          title={`Remove ${member.name} from the team?`}
                          description="Their tasks on this project become unassigned. Their tracked time stays."
                          confirmLabel="Remove"
                        />
                      </div>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      {canManage ? (
        <div className="space-y-6 self-start">
          <Card>
            <CardHeader title="Add to the team" />
            {candidates.length === 0 ? (
              <p className="p-5 text-sm text-zinc-600">Everyone in the agency is on this team already.</p>
            ) : (
              // Keyed by the team's size, so the fields empty themselves once someone is added.
              <Form
                key={project.team.length}
                method="post"
                className="space-y-4 p-5"
                noValidate
                aria-label="Add to the team"
              >
                <input type="hidden" name="intent" value="add" />
                <FormError message={addFailure?.formError} />
                <SelectField
                  label="Person"
                  name="user_id"
                  options={[
                    { value: "", label: "Choose someone…" },
                    ...candidates.map((m) => ({
                      value: m.user_id,
                      label: `${m.name} (${roleLabel[m.role] ?? m.role})`,
                    })),
                  ]}
                  defaultValue={addFailure?.values.user_id ?? ""}
                  errors={addFailure?.fieldErrors.user_id}
                />
                <InputField
                  label="Project rate (optional)"
                  name="rate"
                  inputMode="decimal"
                  autoComplete="off"
                  defaultValue={addFailure?.values.rate}
                  errors={addFailure?.fieldErrors.rate}
                  hint={`Per hour in ${project.currency}. Empty: their own or the project's rate.`}
                />
                <Button type="submit" pending={adding}>
                  Add to the team
                </Button>
              </Form>
            )}
          </Card>
          <Card>
            <CardHeader
              title="Rates on logged time"
              description="Entries keep the rate they were logged with. After a rate change, bring unbilled time up to date."
            />
            <div className="space-y-3 p-5">
              <FormError message={ratesFailure?.formError} />
              <ConfirmForm
                fields={{ intent: "apply_rates" }}
                trigger={
                  <>
                    <RefreshCw className="h-4 w-4" aria-hidden="true" /> Apply current rates
                  </>
                }
                triggerLabel="Apply current rates to unbilled time"
                triggerVariant="secondary"
                title="Apply the current rates to unbilled time?"
                description="Every entry on this project that is not invoiced yet gets the rate that applies today (project rate, then the person's, then the agency's). Invoiced time keeps its rate."
                confirmLabel="Apply current rates"
                confirmVariant="primary"
              />
            </div>
          </Card>
        </div>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
