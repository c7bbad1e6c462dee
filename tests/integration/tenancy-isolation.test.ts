import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import {
  addMember,
  adminSql,
  http,
  invitationToken,
  PASSWORD,
  signUp,
  uniqueEmail,
  type SignedUp,
} from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Agency A's people, whatever they send, never read or change agency B. Each case also checks
 * that B's rows are exactly as they were and that no response carries B's data.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

interface Tenant {
  owner: SignedUp;
  member: Awaited<ReturnType<typeof addMember>>;
  ownerMemberId: string;
  invitationId: string;
  invitationEmail: string;
}

async function tenant(label: string): Promise<Tenant> {
  const owner = await signUp(request, `${label}-owner`, `Tenant ${label}`);
  const member = await addMember(request, owner, "member");
  await adminSql()`
    update public.member_rates set hourly_rate_cents = 31337, cost_rate_cents = 27182
    where agency_id = ${owner.agency.id}
  `;
  const invitationEmail = uniqueEmail(`${label}-pending`);
  const invited = await request("/api/members", {
    token: owner.access_token,
    body: { email: invitationEmail, role: "manager" },
  });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status}`);
  const [row] = await adminSql()<{ id: string }[]>`
    select id from public.agency_members where agency_id = ${owner.agency.id} and user_id = ${owner.user.id}
  `;
  return { owner, member, ownerMemberId: row!.id, invitationId: invited.body.data.id, invitationEmail };
}

/** Everything about agency B a leak could expose or a write could change. */
async function snapshot(agencyId: string) {
  const sql = adminSql();
  return {
    agency: await sql`select * from public.agencies where id = ${agencyId}`,
    members: await sql`select * from public.agency_members where agency_id = ${agencyId} order by id`,
    rates: await sql`select * from public.member_rates where agency_id = ${agencyId} order by user_id`,
    invitations:
      await sql`select *, encode(token_hash, 'hex') as token from public.invitations where agency_id = ${agencyId} order by id`,
    emails: await sql`select id from private.email_outbox where agency_id = ${agencyId} order by id`,
  };
}

let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  a = await tenant("a");
  b = await tenant("b");
});

function secretsOf(t: Tenant): string[] {
  return [
    t.owner.agency.name,
    t.owner.agency.slug,
    t.owner.email,
    t.member.email,
    t.invitationEmail,
    t.member.member_id,
    t.ownerMemberId,
  ];
}

function expectNoLeak(response: { body: unknown }, t: Tenant) {
  const text = JSON.stringify(response.body);
  for (const secret of secretsOf(t)) expect(text, `response leaks ${secret}`).not.toContain(secret);
}

const callers = () =>
  [
    ["A's owner", a.owner.access_token],
    ["A's member", a.member.access_token],
  ] as const;

describe("A's people against agency B", () => {
  it("cannot read B's agency, team or profile context with X-Agency-Id = B (403)", async () => {
    for (const [who, token] of callers()) {
      for (const path of ["/api/agency", "/api/members", "/api/me"]) {
        const response = await request(path, { token, agencyId: b.owner.agency.id });
        expect(response.status, `${who} GET ${path}`).toBe(403);
        expect(response.body.code, `${who} GET ${path}`).toBe("agency_forbidden");
        expectNoLeak(response, b);
      }
    }
  });

  it("sees only A in their own team list, never B's people, rates or invitations", async () => {
    for (const [who, token] of callers()) {
      const response = await request("/api/members", { token });
      expect(response.status, who).toBe(200);
      expect(response.body.data.map((m: { user_id: string }) => m.user_id).sort(), who).toEqual(
        [a.owner.user.id, a.member.user_id].sort(),
      );
      expectNoLeak(response, b);
    }
    const me = await request("/api/me", { token: a.owner.access_token });
    expect(me.body.memberships.map((m: { agency_id: string }) => m.agency_id)).toEqual([a.owner.agency.id]);
  });

  it("cannot change B's settings (403), and B is unchanged", async () => {
    const before = await snapshot(b.owner.agency.id);
    for (const [who, token] of callers()) {
      const response = await request("/api/agency", {
        method: "PATCH",
        token,
        agencyId: b.owner.agency.id,
        body: { name: "Taken over", brand_color: "#000000" },
      });
      expect(response.status, who).toBe(403);
      expectNoLeak(response, b);
    }
    expect(await snapshot(b.owner.agency.id)).toEqual(before);
  });

  it("cannot list or invite into B's team (403), and nothing is written for B", async () => {
    const before = await snapshot(b.owner.agency.id);
    for (const [who, token] of callers()) {
      const list = await request("/api/members", { token, agencyId: b.owner.agency.id });
      expect(list.status, who).toBe(403);
      expectNoLeak(list, b);
      const invited = await request("/api/members", {
        token,
        agencyId: b.owner.agency.id,
        body: { email: uniqueEmail("intruder"), role: "owner" },
      });
      expect(invited.status, who).toBe(403);
      expectNoLeak(invited, b);
    }
    expect(await snapshot(b.owner.agency.id)).toEqual(before);
  });

  it("cannot change B's members, in A's context (404) or B's (403), and B is unchanged", async () => {
    const before = await snapshot(b.owner.agency.id);
    const changes = [
      { role: "owner" },
      { is_active: false },
      { capacity_hours_weekly: 1 },
      { hourly_rate_cents: 1, cost_rate_cents: 1 },
    ];
    for (const [who, token] of callers()) {
      for (const target of [b.member.member_id, b.ownerMemberId]) {
        for (const body of changes) {
          const inA = await request(`/api/members/${target}`, { method: "PATCH", token, body });
          expect(inA.status, `${who} ${JSON.stringify(body)}`).toBe(404);
          expectNoLeak(inA, b);
          const inB = await request(`/api/members/${target}`, {
            method: "PATCH",
            token,
            agencyId: b.owner.agency.id,
            body,
          });
          expect(inB.status, `${who} ${JSON.stringify(body)} with X-Agency-Id B`).toBe(403);
          expectNoLeak(inB, b);
        }
      }
    }
    expect(await snapshot(b.owner.agency.id)).toEqual(before);
  });

  it("cannot resend or revoke B's invitation (403), and it stays pending with its link", async () => {
    const before = await snapshot(b.owner.agency.id);
    const token = await invitationToken(b.invitationEmail);
    for (const [who, accessToken] of callers()) {
      for (const command of ["resend", "revoke"]) {
        for (const agencyId of [undefined, b.owner.agency.id]) {
          const response = await request(`/api/invitations/${b.invitationId}/${command}`, {
            method: "POST",
            token: accessToken,
            agencyId,
          });
          expect(response.status, `${who} ${command} ${agencyId ?? ""}`).toBe(403);
          expectNoLeak(response, b);
        }
      }
    }
    expect(await snapshot(b.owner.agency.id)).toEqual(before);
    expect(await invitationToken(b.invitationEmail)).toBe(token);
  });

  it("B's owner still works normally afterwards (the refusals were about A, not a broken B)", async () => {
    const response = await request("/api/members", { token: b.owner.access_token });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(2);
    expect(response.body.invitations).toEqual([expect.objectContaining({ id: b.invitationId })]);
    expectNoLeak(response, a);
  });
});

describe("a person in two agencies", () => {
  let both: SignedUp;
  let other: SignedUp;

  beforeAll(async () => {
    both = await signUp(request, "two-a", "First");
    other = await signUp(request, "two-b", "Second");
    // B's owner invites A's owner, who accepts as themselves.
    const invited = await request("/api/members", {
      token: other.access_token,
      body: { email: both.email, role: "manager" },
    });
    expect(invited.status).toBe(201);
    const token = await invitationToken(both.email);
    await adminSql().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: both.user.id, email: both.email, role: "authenticated" })}, true)`;
      await tx`select * from public.accept_invitation(${token})`;
    });
  });

  it("must choose with X-Agency-Id on agency-scoped endpoints (400 agency_required)", async () => {
    const calls = [
      { path: "/api/agency" },
      { path: "/api/members" },
      { path: "/api/agency", method: "PATCH", body: { name: "Which one?" } },
      { path: "/api/members", body: { email: uniqueEmail("which"), role: "member" } },
    ];
    const before = [await snapshot(both.agency.id), await snapshot(other.agency.id)];
    for (const call of calls) {
      const response = await request(call.path, { token: both.access_token, method: call.method, body: call.body });
      expect(response.status, `${call.method ?? (call.body ? "POST" : "GET")} ${call.path}`).toBe(400);
      expect(response.body.code).toBe("agency_required");
    }
    expect([await snapshot(both.agency.id), await snapshot(other.agency.id)]).toEqual(before);
  });

  it("acts in whichever agency the header names, with the role held there", async () => {
    for (const [agency, role] of [
      [both.agency, "owner"],
      [other.agency, "manager"],
    ] as const) {
      const settings = await request("/api/agency", { token: both.access_token, agencyId: agency.id });
      expect(settings.status).toBe(200);
      expect(settings.body.data).toMatchObject({ id: agency.id, name: agency.name });
      const team = await request("/api/members", { token: both.access_token, agencyId: agency.id });
      expect(team.status).toBe(200);
      const me = team.body.data.find((m: { user_id: string }) => m.user_id === both.user.id);
      expect(me.role).toBe(role);
      const profile = await request("/api/me", { token: both.access_token, agencyId: agency.id });
      expect(profile.status).toBe(200);
      expect(profile.body.active_agency).toMatchObject({ agency_id: agency.id, role });
      expect(profile.body.memberships).toHaveLength(2);
    }
    // As manager in the second agency they may not change roles there.
    const [ownerOfOther] = await adminSql()<{ id: string }[]>`
      select id from public.agency_members where agency_id = ${other.agency.id} and user_id = ${other.user.id}
    `;
    const demote = await request(`/api/members/${ownerOfOther!.id}`, {
      method: "PATCH",
      token: both.access_token,
      agencyId: other.agency.id,
      body: { role: "member" },
    });
    expect(demote.status).toBe(403);
    expect(demote.body.code).toBe("owner_required");
  });

  it("gets /api/me without the header, acting in the first agency joined", async () => {
    const me = await request("/api/me", { token: both.access_token });
    expect(me.status).toBe(200);
    expect(me.body.active_agency.agency_id).toBe(both.agency.id);
  });
});

describe("a malformed or foreign X-Agency-Id", () => {
  it("is refused with 403 on every agency-scoped endpoint and /api/me", async () => {
    const owner = await signUp(request, "malformed");
    for (const agencyId of [
      "not-a-uuid",
      "'; drop table public.agencies; --",
      "00000000-0000-0000-0000-000000000000",
      b.owner.agency.id,
    ]) {
      for (const path of ["/api/agency", "/api/members", "/api/me"]) {
        const response = await request(path, { token: owner.access_token, agencyId });
        expect(response.status, `${path} with ${agencyId}`).toBe(403);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
        expect(response.body.code).toBe("agency_forbidden");
      }
    }
    const rows = await adminSql()`select 1 from public.agencies where id = ${owner.agency.id}`;
    expect(rows).toHaveLength(1);
  });
});

describe("a new account without an agency", () => {
  it("gets 403 no_agency on agency-scoped endpoints, and sees nobody's data", async () => {
    const email = uniqueEmail("lonely");
    await adminSql()`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data)
      select ${email}, encrypted_password, now(), '{"name":"Lonely"}'::jsonb from auth.users where id = ${a.owner.user.id}
    `;
    const tokens = await request("/api/auth/token", { body: { email, password: PASSWORD } });
    expect(tokens.status).toBe(200);
    for (const path of ["/api/agency", "/api/members"]) {
      const response = await request(path, { token: tokens.body.access_token });
      expect(response.status, path).toBe(403);
      expect(response.body.code).toBe("no_agency");
    }
    const withHeader = await request("/api/members", { token: tokens.body.access_token, agencyId: a.owner.agency.id });
    expect(withHeader.status).toBe(403);
    expectNoLeak(withHeader, a);
    const me = await request("/api/me", { token: tokens.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ memberships: [], active_agency: null });
  });
});
