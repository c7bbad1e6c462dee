import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Archive, ExternalLink, Mail, Phone, Plus } from "lucide-react";
import { z } from "zod";
import { ClientFields } from "#app/components/clients/client-fields.tsx";
import { RelationshipBadge } from "#app/components/clients/relationship-badge.tsx";
import { Timeline } from "#app/components/clients/timeline.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, TextareaField } from "#app/components/ui/field.tsx";
import { listCurrencies } from "#app/models/agency.server.ts";
import {
  addContact,
  getClient,
  invitePortalContact,
  listTimeline,
  logActivity,
  removeContact,
  revokePortalAccess,
  setClientArchived,
  updateClient,
} from "#app/models/clients.server.ts";
import { ActivityBody, email, personName, uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { EditClientForm } from "#app/utils/client-form.ts";
import { formatDate } from "#app/utils/dates.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { formatMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";
import { uuidParam } from "#app/utils/params.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.client.name ?? "Client"} · Agency CRM` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const clientId = uuid.safeParse(params.clientId);
  if (!clientId.success) throw new Response("There is no such client.", { status: 404 });
  const [detail, timeline, currencies] = await Promise.all([
    getClient({ claims: viewer.claims, clientId: clientId.data }),
    listTimeline({ claims: viewer.claims, clientId: clientId.data }).catch(() => null),
    listCurrencies(),
  ]);
  if (!detail || !timeline) throw new Response("There is no such client, or it is not yours to see.", { status: 404 });
  return {
    ...detail,
    timeline: timeline.data,
    currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
  };
}

const ClientPageForm = z.discriminatedUnion("intent", [
  EditClientForm,
  ActivityBody.omit({ occurred_at: true }).extend({
    intent: z.literal("log_activity"),
    occurred_at: z.string().optional(),
  }),
  z.object({
    intent: z.literal("add_contact"),
    name: personName,
    email: z.preprocess((v) => (v === "" ? undefined : v), email.optional()),
    phone: z.string().trim().max(40).optional(),
    title: z.string().trim().max(120).optional(),
    primary: z.string().optional(),
  }),
  z.object({ intent: z.literal("remove_contact"), contact_id: uuid }),
  z.object({ intent: z.literal("invite_portal"), contact_id: uuid }),
  z.object({ intent: z.literal("revoke_portal"), contact_id: uuid }),
  z.object({ intent: z.literal("archive") }),
  z.object({ intent: z.literal("unarchive") }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const clientId = uuidParam(params, "clientId", "There is no such client.");
  const form = await parseForm(request, ClientPageForm);
  if (!form.ok) return form.response;
  const input = form.data;
  const claims = viewer.claims;
  try {
    let message: string;
    switch (input.intent) {
      case "update_client": {
        const { intent: _intent, ...changes } = input;
        await updateClient({ claims, clientId, changes });
        message = "Client saved.";
        break;
      }
      case "log_activity":
        await logActivity({
          claims,
          agencyId,
          clientId,
          kind: input.kind,
          body: input.body,
          occurredAt: input.occurred_at ? new Date(input.occurred_at).toISOString() : undefined,
        });
        message = `${input.kind[0]!.toUpperCase()}${input.kind.slice(1)} logged.`;
        break;
      case "add_contact":
        await addContact({
          claims,
          agencyId,
          clientId,
          contact: {
            name: input.name,
            email: input.email ?? null,
            phone: input.phone || null,
            title: input.title || null,
          },
          primary: input.primary === "on",
        });
        message = `${input.name} added.`;
        break;
      case "remove_contact":
        await removeContact({ claims, contactId: input.contact_id });
        message = "Contact removed.";
        break;
      case "invite_portal":
        await invitePortalContact({ claims, contactId: input.contact_id });
        message = "Portal invitation sent.";
        break;
      case "revoke_portal":
        await revokePortalAccess({ claims, contactId: input.contact_id });
        message = "Portal access revoked.";
        break;
      case "archive":
      case "unarchive":
        await setClientArchived({ claims, clientId, archived: input.intent === "archive" });
        message = input.intent === "archive" ? "Client archived. Its history stays." : "Client restored.";
        break;
    }
    await context.app.toast({ kind: "success", message });
    return redirect(`/clients/${clientId}`);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function ClientPage() {
  const { client, contacts, deals, projects, timeline, currencies } = useLoaderData<typeof loader>();
  const { active } = useStaff();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const canManage = active.role !== "member";
  const failed = (intent: string) => (isFormFailure(failure) && failure.values.intent === intent ? failure : undefined);
  const editing = failed("update_client");

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm">
            <Link to="/clients" className="text-zinc-500 hover:text-brand">
              Clients
            </Link>
          </p>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            {client.name}
            <RelationshipBadge relationship={client.relationship} />
            {client.archived_at ? <Badge tone="red">Archived</Badge> : null}
          </h1>
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-zinc-600">
            {client.industry ? <span>{client.industry}</span> : null}
            {client.website ? (
              <a
                href={client.website}
                className="inline-flex items-center gap-1 text-brand hover:underline"
                rel="noreferrer noopener"
                target="_blank"
              >
                {client.website.replace(/^https?:\/\//, "")} <ExternalLink className="h-3 w-3" aria-hidden="true" />
              </a>
            ) : null}
            {client.tags.map((tag) => (
              <Badge key={tag}>{tag}</Badge>
            ))}
          </div>
        </div>
        {canManage ? (
          <div className="flex gap-2">
            <Button asChild size="sm">
              <Link to={`/pipeline/new?client=${client.id}`}>
                <Plus className="h-4 w-4" aria-hidden="true" /> New deal
              </Link>
            </Button>
            <Form method="post">
              <Button size="sm" variant="secondary" name="intent" value={client.archived_at ? "unarchive" : "archive"}>
                <Archive className="h-4 w-4" aria-hidden="true" /> {client.archived_at ? "Restore" : "Archive"}
              </Button>
            </Form>
          </div>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-6">
          <Card>
            <CardHeader
              title="Timeline"
              description="Notes, calls, meetings and emails, with deal and project events."
            />
            {canManage ? (
              <Form
                key={timeline.length}
                method="post"
                className="grid gap-3 border-b border-zinc-100 p-5 sm:grid-cols-[9rem_1fr]"
                noValidate
              >
                <input type="hidden" name="intent" value="log_activity" />
                <div className="space-y-1.5">
                  <label htmlFor="activity-kind" className="block text-sm font-medium">
                    Type
                  </label>
                  <select
                    id="activity-kind"
                    name="kind"
                    defaultValue={failed("log_activity")?.values.kind ?? "note"}
                    className="w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm"
                  >
                    <option value="note">Note</option>
                    <option value="call">Call</option>
                    <option value="meeting">Meeting</option>
                    <option value="email">Email</option>
                  </select>
                </div>
                <TextareaField
                  label="What happened"
                  name="body"
                  rows={2}
                  required
                  defaultValue={failed("log_activity")?.values.body}
                  errors={failed("log_activity")?.fieldErrors.body}
                />
                <div className="flex items-end gap-3 sm:col-span-2 sm:justify-end">
                  <InputField label="When (optional)" name="occurred_at" type="datetime-local" className="sm:w-56" />
                  <Button type="submit" pending={navigation.formData?.get("intent") === "log_activity"}>
                    Log it
                  </Button>
                </div>
              </Form>
            ) : null}
            <Timeline entries={timeline} />
          </Card>
        </div>

        <div className="space-y-6">
          <Card>
            <CardHeader title="Contacts" />
            <ul className="divide-y divide-zinc-100">
              {contacts.length === 0 ? <li className="px-5 py-4 text-sm text-zinc-500">No contacts yet.</li> : null}
              {contacts.map((contact) => (
                <li key={contact.id} className="space-y-1 px-5 py-3 text-sm">
                  <p className="flex flex-wrap items-center gap-2 font-medium">
                    {contact.name}
                    {contact.is_primary ? <Badge tone="brand">Primary</Badge> : null}
                    {contact.portal_access ? <Badge tone="green">Portal</Badge> : null}
                  </p>
                  {contact.title ? <p className="text-zinc-500">{contact.title}</p> : null}
                  {contact.email ? (
                    <a
                      className="flex items-center gap-1 text-zinc-700 hover:text-brand"
                      href={`mailto:${contact.email}`}
                    >
                      <Mail className="h-3.5 w-3.5" aria-hidden="true" /> {contact.email}
                    </a>
                  ) : null}
                  {contact.phone ? (
                    <a className="flex items-center gap-1 text-zinc-700 hover:text-brand" href={`tel:${contact.phone}`}>
                      <Phone className="h-3.5 w-3.5" aria-hidden="true" /> {contact.phone}
                    </a>
                  ) : null}
                  {canManage ? (
                    <Form method="post" className="flex flex-wrap gap-2 pt-1">
                      <input type="hidden" name="contact_id" value={contact.id} />
                      {contact.email ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          name="intent"
                          value={contact.portal_access ? "revoke_portal" : "invite_portal"}
                        >
                          {contact.portal_access ? "Revoke portal access" : "Invite to portal"}
                        </Button>
                      ) : null}
                      <Button size="sm" variant="ghost" name="intent" value="remove_contact">
                        Remove
                      </Button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
            {["remove_contact", "invite_portal", "revoke_portal"].map((intent) =>
              failed(intent) ? (
                <div key={intent} className="px-5 pb-3">
                  <FormError
                    message={failed(intent)!.formError ?? Object.values(failed(intent)!.fieldErrors).flat().join(" ")}
                  />
                </div>
              ) : null,
            )}
            {canManage ? (
              <details className="border-t border-zinc-100 px-5 py-3" open={Boolean(failed("add_contact"))}>
                <summary className="cursor-pointer text-sm font-medium text-brand">Add a contact</summary>
                <Form key={contacts.length} method="post" className="mt-3 space-y-3" noValidate>
                  <input type="hidden" name="intent" value="add_contact" />
                  <FormError message={failed("add_contact")?.formError} />
                  <InputField
                    label="Name"
                    name="name"
                    defaultValue={failed("add_contact")?.values.name}
                    errors={failed("add_contact")?.fieldErrors.name}
                  />
                  <InputField
                    label="Email"
                    name="email"
                    type="email"
                    defaultValue={failed("add_contact")?.values.email}
                    errors={failed("add_contact")?.fieldErrors.email}
                  />
                  <InputField
                    label="Phone"
                    name="phone"
                    type="tel"
                    defaultValue={failed("add_contact")?.values.phone}
                  />
                  <InputField label="Job title" name="title" defaultValue={failed("add_contact")?.values.title} />
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="primary" /> Primary contact
                  </label>
                  <Button type="submit" size="sm">
                    Add contact
                  </Button>
                </Form>
              </details>
            ) : null}
          </Card>

          <Card>
            <CardHeader title="Deals" />
            <ul className="divide-y divide-zinc-100">
              {deals.length === 0 ? <li className="px-5 py-4 text-sm text-zinc-500">No deals yet.</li> : null}
              {deals.map((deal) => (
                <li key={deal.id} className="px-5 py-3 text-sm">
                  <Link to={`/pipeline/deals/${deal.id}`} className="font-medium hover:text-brand hover:underline">
                    {deal.title}
                  </Link>
                  <p className="mt-0.5 flex flex-wrap items-center gap-2 text-zinc-600">
                    <Badge tone={deal.stage_kind === "won" ? "green" : deal.stage_kind === "lost" ? "red" : "zinc"}>
                      {deal.stage_name}
                    </Badge>
                    <span className="tabular-nums">{formatMoney(deal.value_cents, deal.currency)}</span>
                    {deal.stage_kind === "open" ? <span>· {deal.probability} %</span> : null}
                  </p>
                </li>
              ))}
            </ul>
          </Card>

          <Card>
            <CardHeader
              title="Projects"
              action={
                canManage ? (
                  <Link
                    to={`/projects/new?client=${client.id}`}
                    className="text-sm font-medium text-brand hover:underline"
                    aria-label={`New project for ${client.name}`}
                  >
                    New project
                  </Link>
                ) : null
              }
            />
            <ul className="divide-y divide-zinc-100">
              {projects.length === 0 ? (
                <li className="px-5 py-4 text-sm text-zinc-500">
                  No projects yet. A won deal becomes one, or start one directly.
                </li>
              ) : null}
              {projects.map((project) => (
                <li key={project.id} className="flex items-center justify-between px-5 py-3 text-sm">
                  <Link to={`/projects/${project.id}`} className="font-medium hover:text-brand hover:underline">
                    {project.name}
                  </Link>
                  <Badge>{project.status.replace("_", " ")}</Badge>
                </li>
              ))}
            </ul>
          </Card>

          <Card>
            <CardHeader title="Details" description={`Client since ${formatDate(client.created_at)}`} />
            {canManage ? (
              <details className="px-5 py-4" open={Boolean(editing)}>
                <summary className="cursor-pointer text-sm font-medium text-brand">Edit details</summary>
                <Form method="post" className="mt-4 space-y-4" noValidate>
                  <input type="hidden" name="intent" value="update_client" />
                  <FormError message={editing?.formError} />
                  <ClientFields
                    values={editing?.values ?? client}
                    errors={editing?.fieldErrors ?? {}}
                    currencies={currencies}
                  />
                  <Button type="submit" size="sm">
                    Save
                  </Button>
                </Form>
              </details>
            ) : null}
            <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-2 px-5 pb-5 text-sm">
              <dt className="text-zinc-500">Size</dt>
              <dd>{client.size ?? "—"}</dd>
              <dt className="text-zinc-500">Country</dt>
              <dd>{client.country ?? "—"}</dd>
              <dt className="text-zinc-500">Currency</dt>
              <dd>{client.currency ?? `${active.currency} (agency)`}</dd>
              <dt className="text-zinc-500">Address</dt>
              <dd className="whitespace-pre-line">{client.address ?? "—"}</dd>
              <dt className="text-zinc-500">Revenue</dt>
              <dd className="tabular-nums">
                {formatMoney(client.lifetime_revenue_cents, client.currency ?? active.currency)}
              </dd>
              {client.notes ? (
                <>
                  <dt className="text-zinc-500">Notes</dt>
                  <dd className="whitespace-pre-line">{client.notes}</dd>
                </>
              ) : null}
            </dl>
          </Card>
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <Card className="p-8 text-center">
      <p className="text-lg font-semibold">There is no such client, or it is not yours to see.</p>
      <Link to="/clients" className="mt-4 inline-block text-sm font-medium text-brand hover:underline">
        Back to clients
      </Link>
    </Card>
  );
}
