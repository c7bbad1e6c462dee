import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Button } from "#app/components/ui/button.tsx";
import { Avatar, Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { getAgency } from "#app/models/agency.server.ts";
import {
  inviteMember,
  listTeam,
  resendInvitation,
  revokeInvitation,
  updateMember,
  type TeamMember,
} from "#app/models/team.server.ts";
import { email, personName, role, uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { centsToInput, formatMoney, parseMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";

const roleOptions = [
  { value: "member", label: "Member — works on assigned projects" },
  { value: "manager", label: "Manager — runs clients, projects, invoices" },
  { value: "owner", label: "Owner — everything, incl. roles" },
];

const moneyField = z.string().max(20).optional();

const TeamForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("invite"),
    email,
    name: personName.optional().or(z.literal("").transform(() => undefined)),
    role,
  }),
  z.object({ intent: z.literal("resend"), invitation_id: uuid }),
  z.object({ intent: z.literal("revoke"), invitation_id: uuid }),
  z.object({ intent: z.literal("set_active"), member_id: uuid, is_active: z.enum(["true", "false"]) }),
  z.object({
    intent: z.literal("update_member"),
    member_id: uuid,
    role: role.optional(),
    capacity_hours_weekly: z.coerce
      .number({ error: "Enter hours." })
      .min(0, "Cannot be negative.")
      .max(168, "A week has 168 hours."),
    hourly_rate: moneyField,
    cost_rate: moneyField,
  }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const [team, agency] = await Promise.all([
    listTeam({ claims: viewer.claims, agencyId }),
    getAgency({ claims: viewer.claims, agencyId }),
  ]);
  if (!agency) throw redirect("/");
  return { ...team, currency: agency.currency, viewerId: viewer.userId };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const form = await parseForm(request, TeamForm);
  if (!form.ok) return form.response;
  const input = form.data;
  const claims = viewer.claims;
  try {
    let message: string;
    switch (input.intent) {
      case "invite":
        await inviteMember({ claims, agencyId, email: input.email, role: input.role, name: input.name });
        message = `Invitation sent to ${input.email}.`;
        break;
      case "resend":
        await resendInvitation({ claims, invitationId: input.invitation_id });
        message = "Invitation sent again with a new link.";
        break;
      case "revoke":
        await revokeInvitation({ claims, invitationId: input.invitation_id });
        message = "Invitation withdrawn.";
        break;
      case "set_active":
        await updateMember({
          claims,
          agencyId,
          memberId: input.member_id,
          changes: { is_active: input.is_active === "true" },
        });
        message = input.is_active === "true" ? "Member reactivated." : "Member deactivated. Their history stays.";
        break;
      case "update_member": {
        const agency = await getAgency({ claims, agencyId });
        const currency = agency?.currency ?? "USD";
        const hourly = parseMoney(input.hourly_rate ?? "", currency);
        const cost = parseMoney(input.cost_rate ?? "", currency);
        if (Number.isNaN(hourly) || Number.isNaN(cost)) {
          const message = "Enter amounts such as 120 or 120.50.";
          return formFailure(
            new AppError(422, "validation_failed", message, {
              ...(Number.isNaN(hourly) && { hourly_rate: [message] }),
              ...(Number.isNaN(cost) && { cost_rate: [message] }),
            }),
            form.values,
          );
        }
        await updateMember({
          claims,
          agencyId,
          memberId: input.member_id,
          changes: {
            ...(input.role && { role: input.role }),
            capacity_hours_weekly: input.capacity_hours_weekly,
            hourly_rate_cents: hourly,
            cost_rate_cents: cost,
          },
        });
        message = "Member updated.";
        break;
      }
    }
    await context.app.toast({ kind: "success", message });
    return redirect("/settings/team");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function TeamSettings() {
  const { members, invitations, currency, viewerId } = useLoaderData<typeof loader>();
  const { active } = useStaff();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const canManage = active.role !== "member";
  const isOwner = active.role === "owner";
  const inviteFailure = isFormFailure(failure) && failure.values.intent === "invite" ? failure : undefined;
  // Shown above the team list: failures of row actions, and of an invitation when the invite
  // card is not on screen (someone whose role changed while the page was open).
  const rowFailure = isFormFailure(failure) && (failure.values.intent !== "invite" || !canManage) ? failure : undefined;
  const inviting = navigation.formData?.get("intent") === "invite";

  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        <Card>
          <CardHeader
            title="Team"
            description={`${members.filter((m) => m.is_active).length} active · rates are visible to owners and managers only`}
          />
          {rowFailure ? (
            <div className="px-5 pt-4">
              <FormError message={rowFailure.formError ?? Object.values(rowFailure.fieldErrors).flat().join(" ")} />
            </div>
          ) : null}
          <ul className="divide-y divide-zinc-100">
            {members.map((member) => (
              <MemberRow
                key={member.id}
                member={member}
                currency={currency}
                canManage={canManage}
                isOwner={isOwner}
                isSelf={member.user_id === viewerId}
              />
            ))}
          </ul>
        </Card>

        {canManage ? (
          <Card>
            <CardHeader title="Pending invitations" description="Links work once and expire after 7 days." />
            {invitations.length === 0 ? (
              <p className="px-5 py-6 text-sm text-zinc-500">No pending invitations.</p>
            ) : (
              <ul className="divide-y divide-zinc-100">
                {invitations.map((invitation) => (
                  <li key={invitation.id} className="flex flex-wrap items-center gap-3 px-5 py-3">
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-sm font-medium">{invitation.name ?? invitation.email}</p>
                      <p className="truncate text-xs text-zinc-500">
                        {invitation.email} · {invitation.role} · expires{" "}
                        {new Date(invitation.expires_at).toLocaleDateString()}
                      </p>
                    </div>
                    <Form method="post" className="flex gap-2">
                      <input type="hidden" name="invitation_id" value={invitation.id} />
                      <Button size="sm" variant="secondary" name="intent" value="resend">
                        Resend
                      </Button>
                      <Button size="sm" variant="ghost" name="intent" value="revoke">
                        Withdraw
                      </Button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}
      </div>

      {canManage ? (
        <Card className="h-fit">
          <CardHeader title="Invite someone" description="They get an email with a link to join." />
          {/* Keyed by the pending count so a sent invitation clears the fields. */}
          <Form key={invitations.length} method="post" className="space-y-4 p-5" noValidate>
            <input type="hidden" name="intent" value="invite" />
            <FormError message={inviteFailure?.formError} />
            <InputField
              label="Email"
              name="email"
              type="email"
              autoComplete="off"
              required
              defaultValue={inviteFailure?.values.email}
              errors={inviteFailure?.fieldErrors.email}
            />
            <InputField
              label="Name (optional)"
              name="name"
              defaultValue={inviteFailure?.values.name}
              errors={inviteFailure?.fieldErrors.name}
            />
            <SelectField
              label="Role"
              name="role"
              options={isOwner ? roleOptions : roleOptions.filter((o) => o.value !== "owner")}
              defaultValue={inviteFailure?.values.role ?? "member"}
              errors={inviteFailure?.fieldErrors.role}
            />
            <Button type="submit" className="w-full" pending={inviting && navigation.state !== "idle"}>
              Send invitation
            </Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

function MemberRow({
  member,
  currency,
  canManage,
  isOwner,
  isSelf,
}: {
  member: TeamMember;
  currency: string;
  canManage: boolean;
  isOwner: boolean;
  isSelf: boolean;
}) {
  return (
    <li className="px-5 py-3">
      <div className="flex flex-wrap items-center gap-3">
        <Avatar name={member.name} url={member.avatar_url} size={36} />
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
            {member.name}
            {isSelf ? <Badge>You</Badge> : null}
            {!member.is_active ? <Badge tone="red">Deactivated</Badge> : null}
          </p>
          <p className="truncate text-xs text-zinc-500">{member.email}</p>
        </div>
        <Badge tone={member.role === "owner" ? "brand" : "zinc"}>{member.role}</Badge>
        <span className="w-28 text-right text-xs text-zinc-500">
          {member.hourly_rate_cents !== null
            ? `${formatMoney(member.hourly_rate_cents, currency)}/h`
            : canManage
              ? "Agency rate"
              : ""}
        </span>
      </div>
      {canManage ? (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs font-medium text-brand">Edit {member.name.split(" ")[0]}</summary>
          <Form method="post" className="mt-3 grid gap-3 rounded-lg bg-zinc-50 p-3 sm:grid-cols-2" noValidate>
            <input type="hidden" name="intent" value="update_member" />
            <input type="hidden" name="member_id" value={member.id} />
            {isOwner ? <SelectField label="Role" name="role" options={roleOptions} defaultValue={member.role} /> : null}
            <InputField
              label="Capacity (hours per week)"
              name="capacity_hours_weekly"
              type="number"
              step="0.5"
              min={0}
              max={168}
              defaultValue={member.capacity_hours_weekly}
            />
            <InputField
              label={`Billable rate per hour (${currency})`}
              name="hourly_rate"
              inputMode="decimal"
              placeholder="Agency default"
              defaultValue={centsToInput(member.hourly_rate_cents, currency)}
            />
            <InputField
              label={`Cost per hour (${currency})`}
              name="cost_rate"
              inputMode="decimal"
              placeholder="Not set"
              defaultValue={centsToInput(member.cost_rate_cents, currency)}
            />
            <div className="flex flex-wrap justify-end gap-2 sm:col-span-2">
              <Button type="submit" size="sm">
                Save
              </Button>
            </div>
          </Form>
          {isOwner ? (
            <Form method="post" className="mt-2 flex justify-end">
              <input type="hidden" name="intent" value="set_active" />
              <input type="hidden" name="member_id" value={member.id} />
              <input type="hidden" name="is_active" value={member.is_active ? "false" : "true"} />
              <Button type="submit" size="sm" variant={member.is_active ? "danger" : "secondary"}>
                {member.is_active ? "Deactivate" : "Reactivate"}
              </Button>
            </Form>
          ) : null}
        </details>
      ) : null}
    </li>
  );
}
