import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { addMember, http, signUp, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The request path's login role, exactly as the running app connects with it: it owns nothing,
 * cannot bypass RLS or become a privileged role, and sees rows only through RLS once it has
 * become `authenticated` with a user's claims.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

let sql: postgres.Sql;
let owner: SignedUp;
let otherOwner: SignedUp;
let member: Awaited<ReturnType<typeof addMember>>;

beforeAll(async () => {
  const url = process.env.REQUEST_DATABASE_URL;
  if (!url) throw new Error("REQUEST_DATABASE_URL is not set: the test server did not start");
  sql = postgres(url, { max: 1, prepare: false, onnotice: () => {} });
  owner = await signUp(request, "role-a");
  otherOwner = await signUp(request, "role-b");
  member = await addMember(request, owner, "member");
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

async function sqlState(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** Runs `work` as PostgREST would for a request carrying `claims`, then rolls back. */
async function asAuthenticated<T>(claims: object, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await sql
    .begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      result = await work(tx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result as T;
}
class Rollback extends Error {}

const claimsOf = (userId: string) => ({ sub: userId, role: "authenticated" });

describe("the request login role", () => {
  it("is neither superuser nor able to bypass RLS", async () => {
    const [role] =
      await sql`select current_user as name, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user`;
    expect(role).toEqual({
      name: "crm_request",
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
    });
  });

  it("is granted anon and authenticated and nothing else", async () => {
    const rows = await sql<{ rolname: string }[]>`
      select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
      where m.member = (select oid from pg_roles where rolname = current_user)
      order by r.rolname
    `;
    expect(rows.map((r) => r.rolname)).toEqual(["anon", "authenticated"]);
  });

  it("owns no tables, so RLS is never waived for it", async () => {
    const rows = await sql`
      select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relowner = (select oid from pg_roles where rolname = current_user)
    `;
    expect(rows).toEqual([]);
  });

  it("cannot read tenant tables as itself (42501)", async () => {
    for (const table of [
      "public.agencies",
      "public.agency_members",
      "public.member_rates",
      "public.profiles",
      "public.invitations",
      "auth.users",
    ]) {
      expect(await sqlState(() => sql.unsafe(`select * from ${table} limit 1`)), table).toBe("42501");
    }
  });

  it("cannot become postgres or service_role (42501)", async () => {
    expect(await sqlState(() => sql`set role postgres`)).toBe("42501");
    expect(await sqlState(() => sql`set role service_role`)).toBe("42501");
    expect(await sqlState(() => sql`select set_config('role', 'service_role', false)`)).toBe("42501");
    expect(await sqlState(() => sql`set session authorization postgres`)).toBe("42501");
    const [who] = await sql`select current_user as name`;
    expect(who!.name).toBe("crm_request");
  });

  it("cannot read the outbox, as itself or as authenticated", async () => {
    expect(await sqlState(() => sql`select * from private.email_outbox limit 1`)).toBe("42501");
    const state = await asAuthenticated(claimsOf(owner.user.id), (tx) =>
      sqlState(() => tx`select * from private.email_outbox limit 1`),
    );
    expect(state).toBe("42501");
  });
});

describe("as authenticated with a user's claims", () => {
  it("sees only that user's agency", async () => {
    const rows = await asAuthenticated(
      claimsOf(owner.user.id),
      (tx) => tx<{ id: string }[]>`select id from public.agencies`,
    );
    expect(rows.map((r) => r.id)).toEqual([owner.agency.id]);
    const other = await asAuthenticated(
      claimsOf(otherOwner.user.id),
      (tx) => tx<{ id: string }[]>`select id from public.agencies`,
    );
    expect(other.map((r) => r.id)).toEqual([otherOwner.agency.id]);
  });

  it("sees nothing with the claims of nobody", async () => {
    for (const table of [
      "public.agencies",
      "public.agency_members",
      "public.member_rates",
      "public.profiles",
      "public.invitations",
    ]) {
      const column = { "public.agencies": "id", "public.profiles": "user_id" }[table] ?? "agency_id";
      const rows = await asAuthenticated(claimsOf(randomUUID()), (tx) => tx.unsafe(`select ${column} from ${table}`));
      expect(rows, table).toHaveLength(0);
    }
    // The same queries do return rows for a real user, so the empty answers above mean something.
    const own = await asAuthenticated(claimsOf(owner.user.id), (tx) => tx`select agency_id from public.invitations`);
    expect(own).toHaveLength(1);
  });

  it("hides colleagues' rates from a member but shows their own", async () => {
    const rows = await asAuthenticated(
      claimsOf(member.user_id),
      (tx) => tx<{ user_id: string }[]>`select user_id from public.member_rates`,
    );
    expect(rows.map((r) => r.user_id)).toEqual([member.user_id]);
    const team = await asAuthenticated(
      claimsOf(member.user_id),
      (tx) => tx<{ user_id: string }[]>`select user_id from public.agency_members`,
    );
    expect(team.map((r) => r.user_id).sort()).toEqual([owner.user.id, member.user_id].sort());
  });

  it("cannot write agencies or memberships directly, nor change another agency", async () => {
    const insert = await asAuthenticated(claimsOf(owner.user.id), (tx) =>
      sqlState(
        () => tx`insert into public.agencies (name, slug) values ('Sneaky', ${`sneaky-${randomUUID().slice(0, 8)}`})`,
      ),
    );
    expect(insert).toBe("42501");
    const slug = await asAuthenticated(claimsOf(owner.user.id), (tx) =>
      sqlState(() => tx`update public.agencies set subscription_plan = 'agency' where id = ${owner.agency.id}`),
    );
    expect(slug).toBe("42501");
    const updated = await asAuthenticated(
      claimsOf(owner.user.id),
      (tx) => tx`update public.agencies set name = 'Taken' where id = ${otherOwner.agency.id} returning id`,
    );
    expect(updated).toHaveLength(0);
    const membership = await asAuthenticated(claimsOf(owner.user.id), (tx) =>
      sqlState(
        () =>
          tx`insert into public.agency_members (agency_id, user_id, role) values (${otherOwner.agency.id}, ${owner.user.id}, 'owner')`,
      ),
    );
    expect(membership).toBe("42501");
  });

  it("cannot read the token hashes of invitations", async () => {
    const state = await asAuthenticated(claimsOf(owner.user.id), (tx) =>
      sqlState(() => tx`select token_hash from public.invitations`),
    );
    expect(state).toBe("42501");
  });
});
