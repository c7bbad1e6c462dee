import fs from "node:fs";
import { hash } from "@node-rs/argon2";
import postgres from "postgres";
import { prepareDatabase } from "./prepare.ts";
import { seedInvoices } from "./seed-demo-invoices.ts";
import { seedProjects } from "./seed-demo-projects.ts";

/**
 * `npm run seed:demo` — a demo agency to click through: an owner, a manager, a member, a client
 * with a portal contact. Everything goes through the same SQL functions the app calls, acting as
 * each person (invitations are issued and accepted, not inserted), so the demo obeys every rule.
 * Later features extend this file with their own sample data. Safe to run twice.
 */
const PASSWORD = "demo-password";
const AGENCY = "Northwind Studio";

const staff = [
  {
    email: "olivia@northwind.test",
    name: "Olivia Owens",
    role: "owner",
    timezone: "Europe/London",
    rate: 15000,
    cost: 7000,
  },
  {
    email: "max@northwind.test",
    name: "Max Mercer",
    role: "manager",
    timezone: "Europe/Berlin",
    rate: 12000,
    cost: 5500,
  },
  {
    email: "mia@northwind.test",
    name: "Mia Moreno",
    role: "member",
    timezone: "America/New_York",
    rate: 9500,
    cost: 4000,
  },
] as const;
const portalContact = { email: "carla@globex.test", name: "Carla Cruz" };

const demoClients = [
  {
    name: "Globex Corporation",
    industry: "Manufacturing",
    tags: ["enterprise", "retainer"],
    website: "https://globex.test",
    country: "US",
    relationship: "prospect",
    contact: { name: portalContact.name, email: portalContact.email, phone: "+1 555 0100", title: "VP Digital" },
  },
  {
    name: "Initech",
    industry: "Software",
    tags: ["web"],
    website: "https://initech.test",
    country: "US",
    relationship: "prospect",
    contact: { name: "Peter Gibbons", email: "peter@initech.test", phone: null, title: "Product Manager" },
  },
  {
    name: "Umbrella Health",
    industry: "Healthcare",
    tags: ["app", "enterprise"],
    website: "https://umbrella.test",
    country: "GB",
    relationship: "lead",
    contact: { name: "Alice Abernathy", email: "alice@umbrella.test", phone: "+44 20 7946 0018", title: "CTO" },
  },
  {
    name: "Hooli",
    industry: "Technology",
    tags: ["seo", "retainer"],
    website: "https://hooli.test",
    country: "US",
    relationship: "lead",
    contact: { name: "Gavin Belson", email: "gavin@hooli.test", phone: null, title: "CEO" },
  },
  {
    name: "Stark Industries",
    industry: "Manufacturing",
    tags: ["brand"],
    website: "https://stark.test",
    country: "US",
    relationship: "prospect",
    contact: { name: "Pepper Potts", email: "pepper@stark.test", phone: null, title: "COO" },
  },
  {
    name: "Wayne Enterprises",
    industry: "Finance",
    tags: ["web"],
    website: "https://wayne.test",
    country: "US",
    relationship: "lead",
    contact: null,
  },
  {
    name: "Soylent Foods",
    industry: "Food & Beverage",
    tags: ["app"],
    website: null,
    country: "DE",
    relationship: "inactive",
    contact: null,
  },
] as const;

const demoActivities = [
  {
    client: "Globex Corporation",
    kind: "meeting",
    body: "Kick-off workshop for the relaunch: sitemap and goals agreed.",
    daysAgo: 12,
  },
  {
    client: "Globex Corporation",
    kind: "call",
    body: "Carla confirmed the budget range; proposal due Friday.",
    daysAgo: 5,
  },
  { client: "Initech", kind: "email", body: "Sent the design-system estimate and two case studies.", daysAgo: 3 },
  {
    client: "Umbrella Health",
    kind: "note",
    body: "Met Alice at the health-tech meetup; wants an MVP before Q2.",
    daysAgo: 20,
  },
  { client: "Stark Industries", kind: "call", body: "Pepper approved the brand refresh proposal.", daysAgo: 1 },
] as const;

const demoDeals = [
  {
    client: "Globex Corporation",
    title: "Website relaunch",
    value: 2400000,
    stage: "proposal",
    assignee: "max@northwind.test",
    closeInDays: 25,
    billing: "fixed",
  },
  {
    client: "Initech",
    title: "Design system",
    value: 1800000,
    stage: "negotiation",
    assignee: "mia@northwind.test",
    closeInDays: 10,
    billing: "fixed",
  },
  {
    client: "Umbrella Health",
    title: "Patient app MVP",
    value: 6500000,
    stage: "lead",
    assignee: "max@northwind.test",
    closeInDays: 70,
    billing: "hourly",
  },
  {
    client: "Hooli",
    title: "SEO retainer",
    value: 450000,
    stage: "lead",
    assignee: null,
    closeInDays: 40,
    billing: "retainer",
  },
  {
    client: "Stark Industries",
    title: "Brand refresh",
    value: 3200000,
    stage: "won",
    assignee: "mia@northwind.test",
    closeInDays: 0,
    billing: "fixed",
  },
  {
    client: "Wayne Enterprises",
    title: "Intranet rebuild",
    value: 900000,
    stage: "lost",
    assignee: null,
    closeInDays: 0,
    billing: "fixed",
    lostReason: "Budget moved to next year",
  },
] as const;

type Sql = postgres.Sql;

async function main(): Promise<void> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  const database = await prepareDatabase({ log: () => {} });
  if (database.isSupabase) {
    throw new Error(
      "seed:demo creates accounts directly and is for local mode; on Supabase, sign up in the app instead.",
    );
  }
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [existing] = await sql`select 1 from auth.users where email = ${staff[0].email}`;
    if (!existing) await seed(sql);
    else console.log("The demo agency exists already.");
    printSignIn();
  } finally {
    await sql.end();
    await database.embedded?.stop();
  }
}

async function seed(sql: Sql): Promise<void> {
  const encrypted = await hash(PASSWORD, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const ids: Record<string, string> = {};
  for (const person of staff) {
    const [user] = await sql<{ id: string }[]>`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data)
      values (${person.email}, ${encrypted}, now(), ${sql.json({ name: person.name, timezone: person.timezone })},
              ${sql.json({ provider: "email", providers: ["email"] })})
      returning id
    `;
    ids[person.email] = user!.id;
  }
  const owner = staff[0];

  const agencyId = await asUser(sql, ids[owner.email]!, owner.email, async (tx) => {
    const [agency] = await tx<{ id: string }[]>`select id from public.create_agency(${AGENCY}, 'EUR', 'Europe/London')`;
    await tx`
      update public.agencies
      set brand_color = '#0f766e', default_tax_rate_bp = 2000, default_hourly_rate_cents = 11000, invoice_prefix = 'NW-',
          address = E'Northwind Studio\n12 Harbour Street\nBristol BS1 4RN\nUnited Kingdom'
      where id = ${agency!.id}
    `;
    for (const person of staff.slice(1)) {
      await tx`select public.invite_member(${agency!.id}, ${person.email}, ${person.role}::public.agency_role, ${person.name})`;
    }
    return agency!.id;
  });

  for (const person of staff.slice(1)) {
    const token = await takeInvitationToken(sql, person.email);
    await asUser(sql, ids[person.email]!, person.email, (tx) => tx`select * from public.accept_invitation(${token})`);
  }

  const contactId = await asUser(sql, ids[owner.email]!, owner.email, async (tx) => {
    for (const person of staff) {
      await tx`
        update public.member_rates set hourly_rate_cents = ${person.rate}, cost_rate_cents = ${person.cost}
        where agency_id = ${agencyId} and user_id = ${ids[person.email]!}
      `;
    }
    const clientIds: Record<string, string> = {};
    for (const c of demoClients) {
      const [row] = await tx<{ id: string }[]>`
        insert into public.clients (agency_id, name, industry, tags, website, country, relationship)
        values (${agencyId}, ${c.name}, ${c.industry}, ${c.tags}, ${c.website}, ${c.country}, ${c.relationship})
        returning id
      `;
      clientIds[c.name] = row!.id;
      if (c.contact) {
        await tx`
          insert into public.client_contacts (agency_id, client_id, name, email, phone, title, is_primary)
          values (${agencyId}, ${row!.id}, ${c.contact.name}, ${c.contact.email}, ${c.contact.phone}, ${c.contact.title}, true)
        `;
      }
    }
    const client = { id: clientIds["Globex Corporation"]! };
    const [contact] = await tx<{ id: string }[]>`
      select id from public.client_contacts where client_id = ${client.id} and email = ${portalContact.email}
    `;
    await tx`
      insert into public.client_contacts (agency_id, client_id, name, email, title)
      values (${agencyId}, ${client.id}, 'Gus Grant', 'gus@globex.test', 'Head of Marketing')
    `;
    for (const a of demoActivities) {
      await tx`
        insert into public.client_activities (agency_id, client_id, kind, body, occurred_at)
        values (${agencyId}, ${clientIds[a.client]!}, ${a.kind}, ${a.body}, now() - ${a.daysAgo + " days"}::interval)
      `;
    }
    for (const d of demoDeals) {
      const assignee = d.assignee ? ids[d.assignee]! : null;
      const [deal] = await tx<{ id: string }[]>`
        insert into public.deals (agency_id, client_id, stage_id, title, value_cents, expected_close_date, assigned_to, billing_type)
        values (${agencyId}, ${clientIds[d.client]!},
                (select id from public.pipeline_stages where agency_id = ${agencyId} and key = ${d.stage === "won" || d.stage === "lost" ? "negotiation" : d.stage}),
                ${d.title}, ${d.value}, (current_date + ${d.closeInDays}::integer), ${assignee}, ${d.billing})
        returning id
      `;
      if (d.stage === "won" || d.stage === "lost") {
        await tx`select * from public.move_deal(${deal!.id}, ${d.stage}, ${"lostReason" in d ? d.lostReason : null}, null)`;
      }
    }
    await tx`select public.invite_portal_contact(${contact!.id})`;
    return contact!.id;
  });

  await seedProjects({ sql, asUser, agencyId, ids });
  await seedInvoices({ sql, asUser, agencyId, ids });

  const [carla] = await sql<{ id: string }[]>`
    insert into auth.users (email, email_confirmed_at, raw_user_meta_data, raw_app_meta_data)
    values (${portalContact.email}, now(), ${sql.json({ name: portalContact.name })},
            ${sql.json({ provider: "email", providers: ["email"] })})
    returning id
  `;
  const token = await takeInvitationToken(sql, portalContact.email);
  await asUser(sql, carla!.id, portalContact.email, (tx) => tx`select * from public.accept_invitation(${token})`);
  console.log(`Seeded ${AGENCY} (agency ${agencyId}, portal contact ${contactId}).`);
}

/** Act as a person for one transaction, the way a request does. */
function asUser<T>(
  sql: Sql,
  userId: string,
  email: string,
  work: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  const claims = JSON.stringify({ sub: userId, email, role: "authenticated", aud: "authenticated" });
  return sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
    return work(tx);
  }) as Promise<T>;
}

/** The seed accepts its own invitations, so their emails are marked sent instead of delivered. */
async function takeInvitationToken(sql: Sql, email: string): Promise<string> {
  const [row] = await sql<{ id: string; path: string }[]>`
    select id, data ->> 'accept_path' as path from private.email_outbox
    where to_email = ${email} and template in ('staff_invitation', 'portal_invitation')
    order by created_at desc limit 1
  `;
  // A running app's worker may have delivered it already; otherwise it never needs to.
  await sql`
    update private.email_outbox set status = 'sent', sent_at = now(), provider_message_id = 'seed'
    where id = ${row!.id} and status = 'pending'
  `;
  return row!.path.replace("/invite/", "");
}

function printSignIn(): void {
  console.log(`
Demo agency "${AGENCY}" — sign in at http://localhost:${process.env.PORT || 3000}/login
  owner    olivia@northwind.test   password: ${PASSWORD}
  manager  max@northwind.test      password: ${PASSWORD}
  member   mia@northwind.test      password: ${PASSWORD}
Client portal (magic link only): http://localhost:${process.env.PORT || 3000}/portal/login as ${portalContact.email};
the link arrives in the dev mailbox at /dev/mailbox.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
