import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { addMember, adminSql, http, invitationToken, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

type Member = Awaited<ReturnType<typeof addMember>>;

async function counts(agencyId: string) {
  const [row] = await adminSql()<{ invitations: number; emails: number }[]>`
    select (select count(*)::int from public.invitations where agency_id = ${agencyId}) as invitations,
           (select count(*)::int from private.email_outbox where agency_id = ${agencyId}) as emails
  `;
  return row!;
}

async function setRates(agencyId: string, userId: string, hourly: number | null, cost: number | null) {
  await adminSql()`
    update public.member_rates set hourly_rate_cents = ${hourly}, cost_rate_cents = ${cost}
    where agency_id = ${agencyId} and user_id = ${userId}
  `;
}

async function membership(memberId: string) {
  const [row] = await adminSql()`
    select m.role, m.is_active, m.deactivated_at, m.capacity_hours_weekly::float8 as capacity,
           r.hourly_rate_cents, r.cost_rate_cents
    from public.agency_members m
    join public.member_rates r on r.agency_id = m.agency_id and r.user_id = m.user_id
    where m.id = ${memberId}
  `;
  return row!;
}

async function ownerMemberId(owner: SignedUp): Promise<string> {
  const [row] = await adminSql()<{ id: string }[]>`
    select id from public.agency_members where agency_id = ${owner.agency.id} and user_id = ${owner.user.id}
  `;
  return row!.id;
}

function invite(as: { access_token: string }, agencyId: string, body: unknown) {
  return request("/api/members", { token: as.access_token, agencyId, body });
}

function patchMember(as: { access_token: string }, agencyId: string, memberId: string, body: unknown) {
  return request(`/api/members/${memberId}`, { method: "PATCH", token: as.access_token, agencyId, body });
}

describe("GET /api/members", () => {
  let owner: SignedUp;
  let member: Member;
  let pendingEmail: string;

  beforeAll(async () => {
    owner = await signUp(request, "list-owner");
    member = await addMember(request, owner, "member");
    await setRates(owner.agency.id, owner.user.id, 20_000, 9_000);
    await setRates(owner.agency.id, member.user_id, 12_000, 6_000);
    pendingEmail = uniqueEmail("list-pending");
    const invited = await invite(owner, owner.agency.id, { email: pendingEmail, role: "member" });
    expect(invited.status).toBe(201);
  });

  it("shows an owner everyone with their rates, and the pending invitations", async () => {
    const response = await request("/api/members", { token: owner.access_token });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(2);
    const byUser = Object.fromEntries(response.body.data.map((m: { user_id: string }) => [m.user_id, m]));
    expect(byUser[owner.user.id]).toMatchObject({
      id: await ownerMemberId(owner),
      email: owner.email,
      role: "owner",
      is_active: true,
      capacity_hours_weekly: 40,
      hourly_rate_cents: 20_000,
      cost_rate_cents: 9_000,
    });
    expect(byUser[member.user_id]).toMatchObject({
      id: member.member_id,
      email: member.email,
      role: "member",
      hourly_rate_cents: 12_000,
      cost_rate_cents: 6_000,
    });
    expect(response.body.invitations).toEqual([
      expect.objectContaining({ email: pendingEmail, role: "member", id: expect.any(String) }),
    ]);
  });

  it("shows a member their colleagues without rates, their own rates, and no invitations", async () => {
    const response = await request("/api/members", { token: member.access_token });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(2);
    const byUser = Object.fromEntries(response.body.data.map((m: { user_id: string }) => [m.user_id, m]));
    expect(byUser[owner.user.id]).toMatchObject({ role: "owner", hourly_rate_cents: null, cost_rate_cents: null });
    expect(byUser[member.user_id]).toMatchObject({ hourly_rate_cents: 12_000, cost_rate_cents: 6_000 });
    for (const m of response.body.data.filter((m: { user_id: string }) => m.user_id !== member.user_id)) {
      expect(m, m.email).toMatchObject({ hourly_rate_cents: null, cost_rate_cents: null });
    }
    expect(response.body.invitations).toEqual([]);
  });
});

describe("POST /api/members", () => {
  it("lets an owner invite: 201 with the invitation, and the email is queued with a working token", async () => {
    const owner = await signUp(request, "inv-owner");
    const email = uniqueEmail("invitee");
    const before = await counts(owner.agency.id);
    const response = await invite(owner, owner.agency.id, {
      email: `  ${email.toUpperCase()} `,
      name: "Ivy Invitee",
      role: "manager",
    });
    expect(response.status).toBe(201);
    expect(response.body.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      name: "Ivy Invitee",
      role: "manager",
      expires_at: expect.any(String),
      last_sent_at: expect.any(String),
      created_at: expect.any(String),
    });
    const { expires_at, created_at } = response.body.data;
    const days = (Date.parse(expires_at) - Date.parse(created_at)) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    expect(JSON.stringify(response.body)).not.toContain("token");

    expect(await counts(owner.agency.id)).toEqual({ invitations: before.invitations + 1, emails: before.emails + 1 });
    const [mail] = await adminSql()`
      select template, agency_id, data from private.email_outbox where to_email = ${email}
    `;
    expect(mail).toMatchObject({
      template: "staff_invitation",
      agency_id: owner.agency.id,
      data: {
        role: "manager",
        invitee_name: "Ivy Invitee",
        agency_name: owner.agency.name,
        accept_path: expect.stringMatching(/^\/invite\/[A-Za-z0-9_-]{43}$/),
      },
    });
    const token = await invitationToken(email);
    const [match] = await adminSql()`
      select token_hash = private.token_hash(${token}) as matches from public.invitations where id = ${response.body.data.id}
    `;
    expect(match).toEqual({ matches: true });
  });

  it("lets a manager invite a member, and an owner invite another owner", async () => {
    const owner = await signUp(request, "inv-mgr-owner");
    const manager = await addMember(request, owner, "manager");
    const email = uniqueEmail("by-manager");
    const byManager = await invite(manager, owner.agency.id, { email, role: "member" });
    expect(byManager.status).toBe(201);
    expect(byManager.body.data).toMatchObject({ email, role: "member", name: null });
    const [mail] = await adminSql()`select template, agency_id from private.email_outbox where to_email = ${email}`;
    expect(mail).toEqual({ template: "staff_invitation", agency_id: owner.agency.id });

    const coOwner = await invite(owner, owner.agency.id, { email: uniqueEmail("co-owner"), role: "owner" });
    expect(coOwner.status).toBe(201);
    expect(coOwner.body.data.role).toBe("owner");
  });

  it("defaults the role to member", async () => {
    const owner = await signUp(request, "inv-default");
    const response = await invite(owner, owner.agency.id, { email: uniqueEmail("default-role") });
    expect(response.status).toBe(201);
    expect(response.body.data.role).toBe("member");
  });

  describe("refusals write nothing", () => {
    let owner: SignedUp;
    let manager: Member;
    let member: Member;
    let pending: string;

    beforeAll(async () => {
      owner = await signUp(request, "inv-refuse");
      manager = await addMember(request, owner, "manager");
      member = await addMember(request, owner, "member");
      pending = uniqueEmail("pending");
      expect((await invite(owner, owner.agency.id, { email: pending })).status).toBe(201);
    });

    async function expectRefused(
      as: { access_token: string },
      body: unknown,
      status: number,
      expected: { code: string; field?: string },
    ) {
      const before = await counts(owner.agency.id);
      const response = await invite(as, owner.agency.id, body);
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.body.code).toBe(expected.code);
      if (expected.field) expect(response.body.errors).toHaveProperty([expected.field]);
      expect(await counts(owner.agency.id)).toEqual(before);
      return response;
    }

    it("refuses a member with 403 manager_required", async () => {
      await expectRefused(member, { email: uniqueEmail("by-member"), role: "member" }, 403, {
        code: "manager_required",
      });
    });

    it("refuses a manager inviting an owner with 403 owner_required", async () => {
      await expectRefused(manager, { email: uniqueEmail("mgr-owner"), role: "owner" }, 403, { code: "owner_required" });
    });

    it("names an unknown role", async () => {
      await expectRefused(owner, { email: uniqueEmail("role"), role: "admin" }, 422, {
        code: "validation_failed",
        field: "role",
      });
    });

    it("names a bad email", async () => {
      await expectRefused(owner, { email: "not-an-email", role: "member" }, 422, {
        code: "validation_failed",
        field: "email",
      });
      await expectRefused(owner, { role: "member" }, 422, { code: "validation_failed", field: "email" });
    });

    it("refuses someone who is already an active member with already_member", async () => {
      await expectRefused(owner, { email: member.email, role: "manager" }, 422, {
        code: "already_member",
        field: "email",
      });
      await expectRefused(owner, { email: owner.email.toUpperCase() }, 422, { code: "already_member", field: "email" });
    });

    it("refuses a second pending invitation with already_invited", async () => {
      await expectRefused(manager, { email: pending, role: "member" }, 422, {
        code: "already_invited",
        field: "email",
      });
    });

    it("refuses unknown fields", async () => {
      const response = await expectRefused(
        owner,
        { email: uniqueEmail("extra"), role: "member", agency_id: owner.agency.id },
        422,
        {
          code: "validation_failed",
        },
      );
      expect(JSON.stringify(response.body.errors)).toContain("agency_id");
    });
  });
});

describe("PATCH /api/members/:id", () => {
  it("lets an owner change a role", async () => {
    const owner = await signUp(request, "role-owner");
    const member = await addMember(request, owner, "member");
    const response = await patchMember(owner, owner.agency.id, member.member_id, { role: "manager" });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: member.member_id,
      user_id: member.user_id,
      role: "manager",
      is_active: true,
    });
    expect((await membership(member.member_id)).role).toBe("manager");
    // The new manager now manages: invitations are theirs to see.
    const team = await request("/api/members", { token: member.access_token });
    expect(team.status).toBe(200);
    const invited = await invite(member, owner.agency.id, { email: uniqueEmail("by-promoted") });
    expect(invited.status).toBe(201);
  });

  it("refuses a manager changing a role or activation with 403 owner_required, changing nothing", async () => {
    const owner = await signUp(request, "role-mgr");
    const manager = await addMember(request, owner, "manager");
    const member = await addMember(request, owner, "member");
    const before = await membership(member.member_id);
    for (const body of [{ role: "manager" }, { is_active: false }, { role: "owner", capacity_hours_weekly: 10 }]) {
      const response = await patchMember(manager, owner.agency.id, member.member_id, body);
      expect(response.status, JSON.stringify(body)).toBe(403);
      expect(response.body.code).toBe("owner_required");
    }
    const selfPromotion = await patchMember(manager, owner.agency.id, manager.member_id, { role: "owner" });
    expect(selfPromotion.status).toBe(403);
    expect(selfPromotion.body.code).toBe("owner_required");
    expect(await membership(member.member_id)).toEqual(before);
    expect((await membership(manager.member_id)).role).toBe("manager");
  });

  it("lets a manager set capacity and rates", async () => {
    const owner = await signUp(request, "rates-mgr");
    const manager = await addMember(request, owner, "manager");
    const member = await addMember(request, owner, "member");
    const response = await patchMember(manager, owner.agency.id, member.member_id, {
      capacity_hours_weekly: 32.5,
      hourly_rate_cents: 15_000,
      cost_rate_cents: 7_500,
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: member.member_id,
      capacity_hours_weekly: 32.5,
      hourly_rate_cents: 15_000,
      cost_rate_cents: 7_500,
    });
    expect(await membership(member.member_id)).toMatchObject({
      capacity: 32.5,
      hourly_rate_cents: 15_000,
      cost_rate_cents: 7_500,
    });

    const cleared = await patchMember(manager, owner.agency.id, member.member_id, { hourly_rate_cents: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data).toMatchObject({ hourly_rate_cents: null, cost_rate_cents: 7_500 });
  });

  it("refuses a member setting rates or capacity, for themselves or a colleague", async () => {
    const owner = await signUp(request, "rates-member");
    const member = await addMember(request, owner, "member");
    const ownerId = await ownerMemberId(owner);
    const mine = await membership(member.member_id);
    const theirs = await membership(ownerId);
    for (const [target, body] of [
      [member.member_id, { hourly_rate_cents: 99_999 }],
      [member.member_id, { cost_rate_cents: 1 }],
      [member.member_id, { capacity_hours_weekly: 1 }],
      [ownerId, { hourly_rate_cents: 1 }],
    ] as const) {
      const response = await patchMember(member, owner.agency.id, target, body);
      expect(response.status, JSON.stringify(body)).toBe(403);
      expect(response.body.code).toBe("manager_required");
    }
    expect(await membership(member.member_id)).toEqual(mine);
    expect(await membership(ownerId)).toEqual(theirs);
  });

  it("answers a non-uuid id with 422, an empty or unknown body with 422", async () => {
    const owner = await signUp(request, "patch-bad");
    const member = await addMember(request, owner, "member");
    const notUuid = await patchMember(owner, owner.agency.id, "not-a-uuid", { capacity_hours_weekly: 10 });
    expect(notUuid.status).toBe(422);
    expect(notUuid.body.code).toBe("validation_failed");
    const empty = await patchMember(owner, owner.agency.id, member.member_id, {});
    expect(empty.status).toBe(422);
    const unknown = await patchMember(owner, owner.agency.id, member.member_id, { user_id: owner.user.id });
    expect(unknown.status).toBe(422);
    const outOfRange = await patchMember(owner, owner.agency.id, member.member_id, {
      capacity_hours_weekly: 169,
      hourly_rate_cents: -1,
    });
    expect(outOfRange.status).toBe(422);
    expect(Object.keys(outOfRange.body.errors).sort()).toEqual(["capacity_hours_weekly", "hourly_rate_cents"]);
    expect(await membership(member.member_id)).toMatchObject({ capacity: 40, hourly_rate_cents: null });
  });

  it("answers a member id from another agency with 404 and leaves it alone", async () => {
    const owner = await signUp(request, "patch-other");
    const other = await signUp(request, "patch-other-b");
    const stranger = await addMember(request, other, "member");
    const before = await membership(stranger.member_id);
    for (const body of [
      { role: "owner" },
      { capacity_hours_weekly: 1 },
      { hourly_rate_cents: 1 },
      { is_active: false },
    ]) {
      const response = await patchMember(owner, owner.agency.id, stranger.member_id, body);
      expect(response.status, JSON.stringify(body)).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    const unknownId = await patchMember(owner, owner.agency.id, "00000000-0000-4000-8000-000000000000", {
      role: "member",
    });
    expect(unknownId.status).toBe(404);
    expect(await membership(stranger.member_id)).toEqual(before);
  });

  it("never demotes or deactivates the last active owner (422 last_owner), but does once there is another", async () => {
    const owner = await signUp(request, "last-owner");
    const ownerId = await ownerMemberId(owner);
    for (const body of [{ role: "manager" }, { role: "member" }, { is_active: false }]) {
      const response = await patchMember(owner, owner.agency.id, ownerId, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.code).toBe("last_owner");
      expect(response.body.errors).toHaveProperty("role");
    }
    expect(await membership(ownerId)).toMatchObject({ role: "owner", is_active: true, deactivated_at: null });

    // A deactivated second owner does not count.
    const second = await addMember(request, owner, "owner");
    expect((await patchMember(owner, owner.agency.id, second.member_id, { is_active: false })).status).toBe(200);
    const stillLast = await patchMember(owner, owner.agency.id, ownerId, { role: "member" });
    expect(stillLast.status).toBe(422);
    expect(stillLast.body.code).toBe("last_owner");

    expect((await patchMember(owner, owner.agency.id, second.member_id, { is_active: true })).status).toBe(200);
    const handover = await patchMember(owner, owner.agency.id, ownerId, { role: "member" });
    expect(handover.status).toBe(200);
    expect(handover.body.data.role).toBe("member");
    const secondLast = await patchMember(second, owner.agency.id, second.member_id, { is_active: false });
    expect(secondLast.status).toBe(422);
    expect(secondLast.body.code).toBe("last_owner");
  });

  it("locks a deactivated member out of the agency at once, and reactivation lets them back in", async () => {
    const owner = await signUp(request, "deactivate");
    const member = await addMember(request, owner, "member");

    const off = await patchMember(owner, owner.agency.id, member.member_id, { is_active: false });
    expect(off.status).toBe(200);
    expect(off.body.data).toMatchObject({ id: member.member_id, is_active: false, deactivated_at: expect.any(String) });
    expect((await membership(member.member_id)).deactivated_at).toBeInstanceOf(Date);

    for (const path of ["/api/members", "/api/agency"]) {
      const response = await request(path, { token: member.access_token });
      expect(response.status, path).toBe(403);
      expect(response.body.code, path).toBe("no_agency");
      expect(JSON.stringify(response.body)).not.toContain(owner.agency.name);
    }
    const withHeader = await request("/api/members", { token: member.access_token, agencyId: owner.agency.id });
    expect(withHeader.status).toBe(403);
    const me = await request("/api/me", { token: member.access_token });
    expect(me.status).toBe(200);
    expect(me.body.memberships).toEqual([]);
    expect(me.body.active_agency).toBeNull();
    // The owner still sees them, marked inactive, so history keeps their name.
    const team = await request("/api/members", { token: owner.access_token });
    expect(team.body.data.find((m: { id: string }) => m.id === member.member_id)).toMatchObject({ is_active: false });

    const on = await patchMember(owner, owner.agency.id, member.member_id, { is_active: true });
    expect(on.status).toBe(200);
    expect(on.body.data).toMatchObject({ is_active: true, deactivated_at: null });
    expect((await membership(member.member_id)).deactivated_at).toBeNull();
    const back = await request("/api/members", { token: member.access_token });
    expect(back.status).toBe(200);
    const agency = await request("/api/agency", { token: member.access_token });
    expect(agency.status).toBe(200);
    expect(agency.body.data.id).toBe(owner.agency.id);
    const meAgain = await request("/api/me", { token: member.access_token });
    expect(meAgain.body.memberships).toEqual([expect.objectContaining({ agency_id: owner.agency.id, role: "member" })]);
  });

  it("refuses to invite a deactivated member again (member_deactivated)", async () => {
    const owner = await signUp(request, "reinvite");
    const member = await addMember(request, owner, "member");
    expect((await patchMember(owner, owner.agency.id, member.member_id, { is_active: false })).status).toBe(200);
    const before = await counts(owner.agency.id);
    const response = await invite(owner, owner.agency.id, { email: member.email });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe("member_deactivated");
    expect(await counts(owner.agency.id)).toEqual(before);
  });
});

describe("POST /api/invitations/:id/resend and /revoke", () => {
  async function invitation(id: string) {
    const [row] = await adminSql()`
      select encode(token_hash, 'hex') as token_hash, revoked_at, last_sent_at, expires_at from public.invitations where id = ${id}
    `;
    return row!;
  }

  async function setUp(prefix: string) {
    const owner = await signUp(request, prefix);
    const email = uniqueEmail(`${prefix}-invitee`);
    const invited = await invite(owner, owner.agency.id, { email, role: "member" });
    expect(invited.status).toBe(201);
    return { owner, email, id: invited.body.data.id as string };
  }

  it("resends: 204, a new email with a new link, and the old link stops working", async () => {
    const { owner, email, id } = await setUp("resend");
    const oldToken = await invitationToken(email);
    const before = await invitation(id);
    const emailsBefore = (await counts(owner.agency.id)).emails;

    const response = await request(`/api/invitations/${id}/resend`, { method: "POST", token: owner.access_token });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();

    expect((await counts(owner.agency.id)).emails).toBe(emailsBefore + 1);
    const newToken = await invitationToken(email);
    expect(newToken).not.toBe(oldToken);
    const after = await invitation(id);
    expect(after.token_hash).not.toBe(before.token_hash);
    expect(after.last_sent_at.getTime()).toBeGreaterThan(before.last_sent_at.getTime());
    const [valid] = await adminSql()`
      select token_hash = private.token_hash(${newToken}) as new_ok, token_hash = private.token_hash(${oldToken}) as old_ok
      from public.invitations where id = ${id}
    `;
    expect(valid).toEqual({ new_ok: true, old_ok: false });
  });

  it("lets a manager resend and revoke too", async () => {
    const { owner, id } = await setUp("mgr-resend");
    const manager = await addMember(request, owner, "manager");
    expect(
      (await request(`/api/invitations/${id}/resend`, { method: "POST", token: manager.access_token })).status,
    ).toBe(204);
    expect(
      (await request(`/api/invitations/${id}/revoke`, { method: "POST", token: manager.access_token })).status,
    ).toBe(204);
    expect((await invitation(id)).revoked_at).toBeInstanceOf(Date);
  });

  it("revokes: 204, the invitation leaves the list, and the person can be invited afresh", async () => {
    const { owner, email, id } = await setUp("revoke");
    const response = await request(`/api/invitations/${id}/revoke`, { method: "POST", token: owner.access_token });
    expect(response.status).toBe(204);
    expect((await invitation(id)).revoked_at).toBeInstanceOf(Date);
    const team = await request("/api/members", { token: owner.access_token });
    expect(team.body.invitations).toEqual([]);
    const resend = await request(`/api/invitations/${id}/resend`, { method: "POST", token: owner.access_token });
    expect(resend.status).toBe(422);
    expect(resend.body.code).toBe("invitation_closed");
    const again = await invite(owner, owner.agency.id, { email });
    expect(again.status).toBe(201);
  });

  it("refuses a member with 403 and changes nothing", async () => {
    const { owner, id } = await setUp("inv-member");
    const member = await addMember(request, owner, "member");
    const before = await invitation(id);
    const emailsBefore = (await counts(owner.agency.id)).emails;
    for (const command of ["resend", "revoke"]) {
      const response = await request(`/api/invitations/${id}/${command}`, {
        method: "POST",
        token: member.access_token,
      });
      expect(response.status, command).toBe(403);
      expect(response.body.code).toBe("manager_required");
    }
    expect(await invitation(id)).toEqual(before);
    expect((await counts(owner.agency.id)).emails).toBe(emailsBefore);
  });

  it("refuses another agency's owner with 403 and changes nothing", async () => {
    const { owner, id } = await setUp("inv-foreign");
    const stranger = await signUp(request, "inv-stranger");
    const before = await invitation(id);
    const emailsBefore = (await counts(owner.agency.id)).emails;
    for (const command of ["resend", "revoke"]) {
      const response = await request(`/api/invitations/${id}/${command}`, {
        method: "POST",
        token: stranger.access_token,
      });
      expect(response.status, command).toBe(403);
      expect(response.body.code).toBe("manager_required");
    }
    expect(await invitation(id)).toEqual(before);
    expect((await counts(owner.agency.id)).emails).toBe(emailsBefore);
    expect(await counts(stranger.agency.id)).toEqual({ invitations: 0, emails: 0 });
  });

  it("answers a non-uuid id with 422 and an unknown command with 404", async () => {
    const { owner, id } = await setUp("inv-bad");
    const notUuid = await request("/api/invitations/abc/resend", { method: "POST", token: owner.access_token });
    expect(notUuid.status).toBe(422);
    const unknown = await request(`/api/invitations/${id}/accept`, { method: "POST", token: owner.access_token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("not_found");
  });
});
