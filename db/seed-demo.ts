import fs from "node:fs";
import { hash } from "@node-rs/argon2";
import postgres from "postgres";
import { prepareDatabase } from "./prepare.ts";

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
      set brand_color = '#0f766e', default_tax_rate_bp = 2000, default_hourly_rate_cents = 11000, invoice_prefix = 'NW-'
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
    const [client] = await tx<{ id: string }[]>`
      insert into public.clients (agency_id, name) values (${agencyId}, 'Globex Corporation') returning id
    `;
    await tx`insert into public.clients (agency_id, name) values (${agencyId}, 'Initech'), (${agencyId}, 'Umbrella Health')`;
    const [contact] = await tx<{ id: string }[]>`
      insert into public.client_contacts (agency_id, client_id, name, email, phone)
      values (${agencyId}, ${client!.id}, ${portalContact.name}, ${portalContact.email}, '+44 20 7946 0018')
      returning id
    `;
    await tx`
      insert into public.client_contacts (agency_id, client_id, name, email)
      values (${agencyId}, ${client!.id}, 'Gus Grant', 'gus@globex.test')
    `;
    await tx`select public.invite_portal_contact(${contact!.id})`;
    return contact!.id;
  });

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
    where to_email = ${email} and template in ('staff_invitation', 'portal_invitation') and status = 'pending'
    order by created_at desc limit 1
  `;
  await sql`update private.email_outbox set status = 'sent', sent_at = now(), provider_message_id = 'seed' where id = ${row!.id}`;
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
