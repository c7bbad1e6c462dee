import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { crmCounts, stageIds } from "../setup/crm.ts";
import { addMember, adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/** Deals, moving them through the pipeline (won → project), the forecast, stages and templates. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

type Member = Awaited<ReturnType<typeof addMember>>;
type Actor = { access_token: string };
/** A deal as GET /api/deals/:id answers it; tests read the fields they check. */
type Deal = Record<string, unknown> & { id: string; client_id: string };

function api(as: Actor, path: string, options: { method?: string; body?: unknown } = {}) {
  return request(path, { ...options, token: as.access_token });
}

async function createClient(as: Actor, body: Record<string, unknown>): Promise<string> {
  const response = await api(as, "/api/clients", { body });
  if (response.status !== 201)
    throw new Error(`client not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data.id;
}

async function createDeal(as: Actor, body: Record<string, unknown>): Promise<Deal> {
  const response = await api(as, "/api/deals", { body });
  if (response.status !== 201) throw new Error(`deal not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data;
}

function move(as: Actor, dealId: string, body: Record<string, unknown>) {
  return api(as, `/api/deals/${dealId}/stage`, { body });
}

async function dealRow(dealId: string) {
  const [row] = await adminSql()`
    select d.title, d.value_cents::float8 as value_cents, d.currency, d.probability, d.closed_at, d.lost_reason,
           d.assigned_to, s.key as stage
    from public.deals d join public.pipeline_stages s on s.id = d.stage_id
    where d.id = ${dealId}`;
  return row;
}

async function projectsOf(dealId: string) {
  return adminSql()<
    {
      id: string;
      name: string;
      client_id: string;
      budget_cents: number;
      currency: string;
      billing_type: string;
      template_id: string | null;
    }[]
  >`
    select id, name, client_id, budget_cents::float8 as budget_cents, currency, billing_type::text, template_id
    from public.projects where source_deal_id = ${dealId}`;
}

async function taskTitles(projectId: string): Promise<string[]> {
  const rows = await adminSql()<{ title: string }[]>`
    select title from public.tasks where project_id = ${projectId} order by position`;
  return rows.map((r) => r.title);
}

async function setActive(owner: SignedUp, memberId: string, isActive: boolean) {
  const response = await api(owner, `/api/members/${memberId}`, { method: "PATCH", body: { is_active: isActive } });
  if (response.status !== 200)
    throw new Error(`member not changed: ${response.status} ${JSON.stringify(response.body)}`);
}

const NIL_UUID = "00000000-0000-4000-8000-000000000000";
const DEFAULT_TASKS = [
  "Kick-off meeting",
  "Discovery and requirements",
  "Design",
  "Build",
  "Review with the client",
  "Launch",
];

describe("POST /api/deals", () => {
  let owner: SignedUp;
  let manager: Member;
  let member: Member;
  let formerMember: Member;
  let stranger: SignedUp;
  let euroClient: string;
  let plainClient: string;
  let strangersClient: string;

  beforeAll(async () => {
    owner = await signUp(request, "deal-create");
    manager = await addMember(request, owner, "manager");
    member = await addMember(request, owner, "member");
    formerMember = await addMember(request, owner, "member", "former");
    await setActive(owner, formerMember.member_id, false);
    stranger = await signUp(request, "deal-stranger");
    euroClient = await createClient(owner, { name: "Globex", currency: "EUR" });
    plainClient = await createClient(owner, { name: "Initech" });
    strangersClient = await createClient(stranger, { name: "Stranger Things Ltd" });
  });

  it("creates a deal for a client: 201 with the stage's probability and the client's currency", async () => {
    const response = await api(manager, "/api/deals", {
      body: {
        client_id: euroClient,
        title: "  Brand refresh ",
        description: "Logo and guidelines",
        value_cents: 1_234_567,
        stage: "proposal",
        expected_close_date: "2027-02-28",
        assigned_to: member.user_id,
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      client_id: euroClient,
      client_name: "Globex",
      title: "Brand refresh",
      description: "Logo and guidelines",
      value_cents: 1_234_567,
      currency: "EUR",
      stage_key: "proposal",
      stage_kind: "open",
      probability: 40,
      weighted_cents: 493_827, // 1 234 567 × 40 % = 493 826.8
      expected_close_date: "2027-02-28",
      assigned_to: member.user_id,
      assigned_name: "member person",
      closed_at: null,
      lost_reason: null,
      created_by: manager.user_id,
      project: null,
    });
    expect(await dealRow(response.body.data.id)).toMatchObject({ stage: "proposal", probability: 40, currency: "EUR" });
  });

  it("defaults to the first open stage and the agency's currency; an explicit probability or currency wins", async () => {
    const lead = await createDeal(owner, { client_id: plainClient, title: "Small job" });
    expect(lead).toMatchObject({ stage_key: "lead", probability: 10, currency: "USD", value_cents: 0 });

    const overridden = await createDeal(owner, {
      client_id: euroClient,
      title: "Custom odds",
      stage: "negotiation",
      probability: 55,
      currency: "gbp",
      value_cents: 1000,
    });
    expect(overridden).toMatchObject({
      stage_key: "negotiation",
      probability: 55,
      currency: "GBP",
      weighted_cents: 550,
    });
    const zero = await createDeal(owner, { client_id: plainClient, title: "Long shot", probability: 0 });
    expect(zero.probability).toBe(0);
  });

  it("creates a new client with its contact and the deal in one request", async () => {
    const before = await crmCounts(owner.agency.id);
    const response = await api(owner, "/api/deals", {
      body: {
        client: {
          company_name: "Hooli",
          contact_name: "Gavin Belson",
          contact_email: "Gavin@Hooli.example",
          industry: "Tech",
          currency: "CHF",
        },
        title: "Platform build",
        value_cents: 9_900_000,
        stage: "lead",
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const deal = response.body.data;
    expect(deal).toMatchObject({ client_name: "Hooli", title: "Platform build", currency: "CHF", probability: 10 });
    const [client] = await adminSql()`
      select agency_id, name, industry, currency from public.clients where id = ${deal.client_id}`;
    expect(client).toEqual({ agency_id: owner.agency.id, name: "Hooli", industry: "Tech", currency: "CHF" });
    const contacts = await adminSql()`
      select name, email, is_primary from public.client_contacts where client_id = ${deal.client_id}`;
    expect(contacts).toEqual([{ name: "Gavin Belson", email: "gavin@hooli.example", is_primary: true }]);
    expect(await crmCounts(owner.agency.id)).toMatchObject({
      clients: before.clients + 1,
      contacts: before.contacts + 1,
      deals: before.deals + 1,
    });
  });

  describe("refusals write nothing", () => {
    async function expectRefused(
      body: unknown,
      expected: { status?: number; code: string; field?: string },
      as: Actor = owner,
    ) {
      const before = await crmCounts(owner.agency.id);
      const strangerBefore = await crmCounts(stranger.agency.id);
      const response = await api(as, "/api/deals", { body });
      expect(response.status, JSON.stringify(response.body)).toBe(expected.status ?? 422);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await crmCounts(owner.agency.id)).toEqual(before);
      expect(await crmCounts(stranger.agency.id)).toEqual(strangerBefore);
      expect(response.body.code).toBe(expected.code);
      if (expected.field) expect(response.body.errors, JSON.stringify(response.body)).toHaveProperty([expected.field]);
      return response;
    }

    it("an invalid inline client creates neither the client nor the deal", async () => {
      await expectRefused(
        { client: { company_name: "Bad Money", contact_name: "Ann", currency: "XXX" }, title: "Nope" },
        { code: "invalid_reference", field: "currency" },
      );
      await expectRefused(
        { client: { contact_name: "Ann", contact_email: "ann@nope.example" }, title: "Nope" },
        { code: "validation_failed", field: "client.company_name" },
      );
      // As POST /api/clients and the CSV import do: an email without a name is not silently dropped.
      await expectRefused(
        { client: { company_name: "Half", contact_email: "half@nope.example" }, title: "Nope" },
        { code: "validation_failed", field: "client.contact_name" },
      );
    });

    it("a valid inline client is not left behind when the deal fails", async () => {
      const response = await expectRefused(
        { client: { company_name: "Orphan Co", contact_name: "Olive" }, title: "Nope", stage: "unicorn" },
        { code: "unknown_stage", field: "stage" },
      );
      expect(response.body.detail).toContain("unicorn");
      await expectRefused(
        { client: { company_name: "Orphan Co", contact_name: "Olive" }, title: "Nope", assigned_to: stranger.user.id },
        { code: "assignee_not_active", field: "assigned_to" },
      );
      const [orphans] = await adminSql()`select count(*)::int as n from public.clients where name = 'Orphan Co'`;
      expect(orphans!.n).toBe(0);
    });

    it("both client_id and a new client, or neither", async () => {
      await expectRefused(
        { client_id: plainClient, client: { company_name: "Both" }, title: "Both" },
        { code: "validation_failed", field: "client_id" },
      );
      await expectRefused({ title: "Neither" }, { code: "validation_failed", field: "client_id" });
    });

    it("probability 140 (and -1, and 33.5)", async () => {
      await expectRefused(
        { client_id: plainClient, title: "Too sure", probability: 140 },
        { code: "validation_failed", field: "probability" },
      );
      await expectRefused(
        { client_id: plainClient, title: "Too unsure", probability: -1 },
        { code: "validation_failed", field: "probability" },
      );
      await expectRefused(
        { client_id: plainClient, title: "Fractional", probability: 33.5 },
        { code: "validation_failed", field: "probability" },
      );
    });

    it("an unknown stage, and another agency's stage id", async () => {
      const response = await expectRefused(
        { client_id: plainClient, title: "Where?", stage: "qualified" },
        { code: "unknown_stage", field: "stage" },
      );
      expect(response.body.errors.stage[0]).toContain("qualified");
      const theirs = await stageIds(stranger.agency.id);
      await expectRefused(
        { client_id: plainClient, title: "Where?", stage: theirs.proposal },
        { code: "unknown_stage", field: "stage" },
      );
    });

    it("another agency's client id is an invalid reference", async () => {
      // The field named is the one the caller sent (client_id), not the composite key's columns.
      await expectRefused(
        { client_id: strangersClient, title: "Poaching", value_cents: 100 },
        { code: "invalid_reference", field: "client_id" },
      );
      await expectRefused({ client_id: NIL_UUID, title: "Nobody" }, { code: "invalid_reference", field: "client_id" });
    });

    it("assigned to someone who is not a member, or a deactivated member", async () => {
      await expectRefused(
        { client_id: plainClient, title: "Outsider", assigned_to: stranger.user.id },
        { code: "assignee_not_active", field: "assigned_to" },
      );
      await expectRefused(
        { client_id: plainClient, title: "Outsider", assigned_to: NIL_UUID },
        { code: "assignee_not_active", field: "assigned_to" },
      );
      await expectRefused(
        { client_id: plainClient, title: "Former", assigned_to: formerMember.user_id },
        { code: "assignee_not_active", field: "assigned_to" },
      );
    });

    it("bad values and unknown fields", async () => {
      for (const [body, field] of [
        [{ client_id: plainClient }, "title"],
        [{ client_id: plainClient, title: "  " }, "title"],
        [{ client_id: plainClient, title: "x", value_cents: -5 }, "value_cents"],
        [{ client_id: plainClient, title: "x", value_cents: 10.5 }, "value_cents"],
        [{ client_id: plainClient, title: "x", expected_close_date: "31/12/2026" }, "expected_close_date"],
        [{ client_id: plainClient, title: "x", billing_type: "barter" }, "billing_type"],
        [{ client_id: "not-a-uuid", title: "x" }, "client_id"],
      ] as const) {
        await expectRefused(body, { code: "validation_failed", field });
      }
      const unknown = await expectRefused(
        { client_id: plainClient, title: "x", closed_at: "2026-01-01T00:00:00Z" },
        { code: "validation_failed" },
      );
      expect(JSON.stringify(unknown.body.errors)).toContain("closed_at");
      await expectRefused(
        { client_id: plainClient, title: "x", currency: "XXX" },
        { code: "invalid_reference", field: "currency" },
      );
    });

    it("a member, with 403", async () => {
      await expectRefused({ client_id: plainClient, title: "Mine now" }, { status: 403, code: "forbidden" }, member);
      await expectRefused(
        { client: { company_name: "Member Co" }, title: "Mine now" },
        { status: 403, code: "forbidden" },
        member,
      );
    });
  });
});

describe("GET /api/deals and GET, PATCH, DELETE /api/deals/:id", () => {
  let owner: SignedUp;
  let member: Member;
  let stranger: SignedUp;
  let client: string;
  let proposalA: Deal;
  let proposalB: Deal;
  let lead: Deal;
  let strangersDeal: Deal;

  beforeAll(async () => {
    owner = await signUp(request, "deal-list");
    member = await addMember(request, owner, "member");
    stranger = await signUp(request, "deal-list-stranger");
    client = await createClient(owner, { name: "Listed Co" });
    proposalA = await createDeal(owner, {
      client_id: client,
      title: "Proposal A",
      stage: "proposal",
      value_cents: 100,
    });
    proposalB = await createDeal(owner, {
      client_id: client,
      title: "Proposal B",
      stage: "proposal",
      value_cents: 200,
      assigned_to: member.user_id,
    });
    lead = await createDeal(owner, { client_id: client, title: "Lead C" });
    const theirClient = await createClient(stranger, { name: "Elsewhere" });
    strangersDeal = await createDeal(stranger, { client_id: theirClient, title: "Their proposal", stage: "proposal" });
  });

  it("lists deals by stage key or id, paginated", async () => {
    const all = await api(owner, "/api/deals");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, per_page: 50 });
    expect(all.body.data.map((d: { title: string }) => d.title)).toEqual(["Lead C", "Proposal A", "Proposal B"]);

    const proposals = await api(owner, "/api/deals?stage=proposal");
    expect(proposals.body.total).toBe(2);
    expect(proposals.body.data).toEqual([
      expect.objectContaining({
        id: proposalA.id,
        title: "Proposal A",
        client_name: "Listed Co",
        value_cents: 100,
        weighted_cents: 40,
      }),
      expect.objectContaining({
        id: proposalB.id,
        title: "Proposal B",
        assigned_to: member.user_id,
        weighted_cents: 80,
      }),
    ]);
    const ids = await stageIds(owner.agency.id);
    const byId = await api(owner, `/api/deals?stage=${ids.proposal}`);
    expect(byId.body.data.map((d: { id: string }) => d.id)).toEqual([proposalA.id, proposalB.id]);
    expect((await api(owner, "/api/deals?stage=won")).body).toEqual({ data: [], total: 0, page: 1, per_page: 50 });
    expect((await api(owner, "/api/deals?stage=nonsense")).body.total).toBe(0);

    const page2 = await api(owner, "/api/deals?per_page=2&page=2");
    expect(page2.body).toMatchObject({ total: 3, page: 2, per_page: 2 });
    expect(page2.body.data.map((d: { title: string }) => d.title)).toEqual(["Proposal B"]);
    expect((await api(owner, "/api/deals?per_page=500")).status).toBe(422);
  });

  it("shows a member only the deals assigned to them", async () => {
    const mine = await api(member, "/api/deals");
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total: 1, data: [expect.objectContaining({ id: proposalB.id })] });
    expect((await api(member, `/api/deals/${proposalB.id}`)).status).toBe(200);
    const notMine = await api(member, `/api/deals/${proposalA.id}`);
    expect(notMine.status).toBe(404);
  });

  it("reads one deal; another agency's deal or an unknown id is 404, a bad id 422", async () => {
    const read = await api(owner, `/api/deals/${proposalA.id}`);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({
      id: proposalA.id,
      stage_key: "proposal",
      stage_name: "Proposal",
      probability: 40,
    });
    for (const id of [strangersDeal.id, NIL_UUID]) {
      const response = await api(owner, `/api/deals/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    expect((await api(owner, "/api/deals/nope")).status).toBe(422);
  });

  it("changes fields with PATCH; the stage is not a PATCH field", async () => {
    const response = await api(owner, `/api/deals/${lead.id}`, {
      method: "PATCH",
      body: { title: "Lead C (bigger)", value_cents: 1_999, probability: 15, expected_close_date: "2027-03-01" },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({
      id: lead.id,
      title: "Lead C (bigger)",
      value_cents: 1_999,
      probability: 15,
      weighted_cents: 300, // 299.85
      expected_close_date: "2027-03-01",
      stage_key: "lead",
    });
    // Clearing the probability goes back to the stage's.
    const cleared = await api(owner, `/api/deals/${lead.id}`, { method: "PATCH", body: { probability: null } });
    expect(cleared.body.data.probability).toBe(10);

    const before = await dealRow(lead.id);
    for (const body of [
      { stage: "won" },
      {},
      { probability: 140 },
      { closed_at: "2026-01-01T00:00:00Z" },
      { title: "" },
    ]) {
      const refused = await api(owner, `/api/deals/${lead.id}`, { method: "PATCH", body });
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    const theirs = await api(owner, `/api/deals/${lead.id}`, {
      method: "PATCH",
      body: { assigned_to: stranger.user.id },
    });
    expect(theirs.status).toBe(422);
    expect(theirs.body.code).toBe("assignee_not_active");
    expect(await dealRow(lead.id)).toEqual(before);
  });

  it("refuses PATCH and DELETE by a member and on another agency's deal", async () => {
    const before = await dealRow(proposalB.id);
    const patch = await api(member, `/api/deals/${proposalB.id}`, { method: "PATCH", body: { value_cents: 1 } });
    expect(patch.status).toBe(403);
    const remove = await api(member, `/api/deals/${proposalB.id}`, { method: "DELETE" });
    expect([403, 404]).toContain(remove.status);
    expect(await dealRow(proposalB.id)).toEqual(before);

    const theirsBefore = await dealRow(strangersDeal.id);
    expect(
      (await api(owner, `/api/deals/${strangersDeal.id}`, { method: "PATCH", body: { title: "Mine" } })).status,
    ).toBe(404);
    expect((await api(owner, `/api/deals/${strangersDeal.id}`, { method: "DELETE" })).status).toBe(404);
    expect(await dealRow(strangersDeal.id)).toEqual(theirsBefore);
  });

  it("deletes a deal: 204, then 404, and the client's timeline keeps its history", async () => {
    const doomed = await createDeal(owner, { client_id: client, title: "Doomed" });
    const before = await crmCounts(owner.agency.id);
    const response = await api(owner, `/api/deals/${doomed.id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect((await api(owner, `/api/deals/${doomed.id}`)).status).toBe(404);
    expect(await crmCounts(owner.agency.id)).toMatchObject({ deals: before.deals - 1, activities: before.activities });
    const [event] = await adminSql()`
      select deal_id, body from public.client_activities where client_id = ${client} and body like '%"Doomed"%'`;
    expect(event).toEqual({ deal_id: null, body: 'Deal "Doomed" added in Lead' });
  });
});

describe("POST /api/deals/:id/stage", () => {
  let owner: SignedUp;
  let member: Member;
  let client: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    owner = await signUp(request, "deal-move");
    member = await addMember(request, owner, "member");
    client = await createClient(owner, { name: "Mover Co", currency: "EUR" });
    ids = await stageIds(owner.agency.id);
  });

  it("moves by key and by id, taking the new stage's probability", async () => {
    const deal = await createDeal(owner, { client_id: client, title: "Journey", value_cents: 10_000 });
    const byKey = await move(owner, deal.id, { stage: "negotiation" });
    expect(byKey.status, JSON.stringify(byKey.body)).toBe(200);
    expect(byKey.body).toEqual({
      data: expect.objectContaining({ id: deal.id, stage_key: "negotiation", probability: 70 }),
    });
    const byId = await move(owner, deal.id, { stage: ids.proposal! });
    expect(byId.status).toBe(200);
    expect(byId.body.data).toMatchObject({
      stage_id: ids.proposal,
      stage_key: "proposal",
      probability: 40,
      closed_at: null,
    });
    expect(await dealRow(deal.id)).toMatchObject({ stage: "proposal", probability: 40 });
  });

  it("refuses lost without a reason (lost_reason_required), then records the reason", async () => {
    const deal = await createDeal(owner, { client_id: client, title: "Slipping", stage: "proposal" });
    const before = await crmCounts(owner.agency.id);
    for (const body of [{ stage: "lost" }, { stage: "lost", lost_reason: "   " }, { stage: ids.lost! }]) {
      const response = await move(owner, deal.id, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.code).toBe("lost_reason_required");
      expect(response.body.errors).toHaveProperty("lost_reason");
    }
    expect(await dealRow(deal.id)).toMatchObject({ stage: "proposal", closed_at: null, lost_reason: null });
    expect(await crmCounts(owner.agency.id)).toEqual(before);

    const lost = await move(owner, deal.id, { stage: "lost", lost_reason: "Went with a cheaper agency" });
    expect(lost.status).toBe(200);
    expect(lost.body.data).toMatchObject({
      stage_kind: "lost",
      probability: 0,
      lost_reason: "Went with a cheaper agency",
      closed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(lost.body).not.toHaveProperty("project");
    // Reopening clears the reason and closed_at.
    const reopened = await move(owner, deal.id, { stage: "lead" });
    expect(reopened.body.data).toMatchObject({
      stage_key: "lead",
      probability: 10,
      lost_reason: null,
      closed_at: null,
    });
  });

  it("refuses an unknown stage, another agency's stage and a bad body", async () => {
    const deal = await createDeal(owner, { client_id: client, title: "Stuck" });
    const stranger = await signUp(request, "deal-move-stranger");
    const theirs = await stageIds(stranger.agency.id);
    for (const stage of ["qualified", theirs.won!]) {
      const response = await move(owner, deal.id, { stage });
      expect(response.status, stage).toBe(422);
      expect(response.body.code).toBe("unknown_stage");
      expect(response.body.errors).toHaveProperty("stage");
    }
    for (const body of [{}, { stage: "" }, { stage: "won", closed_at: "2026-01-01" }]) {
      expect((await move(owner, deal.id, body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await move(owner, NIL_UUID, { stage: "won" })).status).toBe(404);
    expect((await move(owner, "not-a-uuid", { stage: "won" })).status).toBe(422);
    expect(await dealRow(deal.id)).toMatchObject({ stage: "lead", closed_at: null });
    expect((await crmCounts(owner.agency.id)).projects).toBe(0);
  });

  it("wins: closed_at, probability 100 and the project with the default template's tasks, once", async () => {
    const deal = await createDeal(owner, {
      client_id: client,
      title: "Shop rebuild",
      description: "Headless commerce",
      value_cents: 4_200_000,
      stage: "negotiation",
      billing_type: "hourly",
      probability: 85,
    });
    const won = await move(owner, deal.id, { stage: "won" });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(won.body).toEqual({
      data: expect.objectContaining({
        id: deal.id,
        stage_key: "won",
        stage_kind: "won",
        probability: 100,
        weighted_cents: 4_200_000,
        closed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        project: { id: expect.any(String), name: "Shop rebuild" },
      }),
      project: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), created: true },
    });
    const projectId = won.body.project.id;
    expect(won.body.data.project.id).toBe(projectId);
    const [defaultTemplate] = await adminSql()`
      select id from public.project_templates where agency_id = ${owner.agency.id} and is_default`;
    expect(await projectsOf(deal.id)).toEqual([
      {
        id: projectId,
        name: "Shop rebuild",
        client_id: client,
        budget_cents: 4_200_000,
        currency: "EUR",
        billing_type: "hourly",
        template_id: defaultTemplate!.id,
      },
    ]);
    expect(await taskTitles(projectId)).toEqual(DEFAULT_TASKS);
    const closedAt = won.body.data.closed_at;

    // Back to an open stage: reopened, and the project stays.
    const back = await move(owner, deal.id, { stage: "proposal" });
    expect(back.status).toBe(200);
    expect(back.body.data).toMatchObject({ stage_key: "proposal", closed_at: null, probability: 40 });
    expect(back.body.project?.created ?? false).toBe(false);

    // Won again: no second project, no new tasks.
    const again = await move(owner, deal.id, { stage: "won" });
    expect(again.status).toBe(200);
    expect(again.body.project).toEqual({ id: projectId, created: false });
    expect(again.body.data.closed_at).not.toBeNull();
    expect(Date.parse(again.body.data.closed_at)).toBeGreaterThanOrEqual(Date.parse(closedAt));
    expect(await projectsOf(deal.id)).toHaveLength(1);
    expect(await taskTitles(projectId)).toEqual(DEFAULT_TASKS);
    const [count] = await adminSql()`
      select count(*)::int as n from public.client_activities where deal_id = ${deal.id} and event = 'project_created'`;
    expect(count!.n).toBe(1);
  });

  it("refuses a member with 403 on their deal and 404 on another, moving nothing", async () => {
    const theirs = await createDeal(owner, { client_id: client, title: "Member's", assigned_to: member.user_id });
    const other = await createDeal(owner, { client_id: client, title: "Not member's" });
    const before = await crmCounts(owner.agency.id);
    const mine = await move(member, theirs.id, { stage: "won" });
    expect(mine.status).toBe(403);
    expect(mine.body.code).toBe("manager_required");
    expect((await move(member, theirs.id, { stage: "lost", lost_reason: "Member says so" })).status).toBe(403);
    expect((await move(member, other.id, { stage: "won" })).status).toBe(404);
    expect(await dealRow(theirs.id)).toMatchObject({ stage: "lead", closed_at: null });
    expect(await dealRow(other.id)).toMatchObject({ stage: "lead", closed_at: null });
    expect(await crmCounts(owner.agency.id)).toEqual(before);
  });
});

describe("GET /api/pipeline/forecast", () => {
  let owner: SignedUp;
  let member: Member;
  let ids: Record<string, string>;

  beforeAll(async () => {
    owner = await signUp(request, "forecast");
    member = await addMember(request, owner, "member");
    ids = await stageIds(owner.agency.id);
    const usd = await createClient(owner, { name: "Dollar Co" });
    const eur = await createClient(owner, { name: "Euro Co", currency: "EUR" });
    // Weighted values are rounded per deal (half away from zero), then summed.
    await createDeal(owner, { client_id: usd, title: "L1", value_cents: 125, expected_close_date: "2026-12-15" }); // 12.5 → 13
    await createDeal(owner, { client_id: usd, title: "L2", value_cents: 335, expected_close_date: "2026-12-31" }); // 33.5 → 34
    await createDeal(owner, {
      client_id: usd,
      title: "P1",
      stage: "proposal",
      value_cents: 999_999,
      expected_close_date: "2027-01-01",
    }); // 399 999.6 → 400 000
    await createDeal(owner, {
      client_id: usd,
      title: "P2",
      stage: "proposal",
      probability: 33,
      value_cents: 1_001,
      expected_close_date: "2027-01-31",
    }); // 330.33 → 330
    await createDeal(owner, {
      client_id: usd,
      title: "N1",
      stage: "negotiation",
      value_cents: 45,
      assigned_to: member.user_id,
    }); // 31.5 → 32, no close date
    await createDeal(owner, {
      client_id: eur,
      title: "N2",
      stage: "negotiation",
      value_cents: 777,
      expected_close_date: "2026-12-01",
    }); // 543.9 → 544
    const won = await createDeal(owner, {
      client_id: usd,
      title: "W1",
      value_cents: 5_001,
      expected_close_date: "2026-12-20",
    });
    expect((await move(owner, won.id, { stage: "won" })).status).toBe(200);
    const lost = await createDeal(owner, {
      client_id: usd,
      title: "X1",
      value_cents: 800,
      expected_close_date: "2026-12-05",
    });
    expect((await move(owner, lost.id, { stage: "lost", lost_reason: "Budget cut" })).status).toBe(200);
  });

  it("sums value and weighted value by stage and currency", async () => {
    const response = await api(owner, "/api/pipeline/forecast");
    expect(response.status).toBe(200);
    const byStage = response.body.data.by_stage.map(
      (r: {
        stage_id: string;
        stage_key: string;
        stage_kind: string;
        currency: string;
        deal_count: number;
        value_cents: number;
        weighted_cents: number;
      }) => [r.stage_key, r.stage_id, r.stage_kind, r.currency, r.deal_count, r.value_cents, r.weighted_cents],
    );
    expect(byStage).toEqual([
      ["lead", ids.lead, "open", "USD", 2, 460, 47],
      ["proposal", ids.proposal, "open", "USD", 2, 1_001_000, 400_330],
      ["negotiation", ids.negotiation, "open", "EUR", 1, 777, 544],
      ["negotiation", ids.negotiation, "open", "USD", 1, 45, 32],
      ["won", ids.won, "won", "USD", 1, 5_001, 5_001],
      ["lost", ids.lost, "lost", "USD", 1, 800, 0],
    ]);
  });

  it("sums open deals with a close date by month and currency", async () => {
    const response = await api(owner, "/api/pipeline/forecast");
    expect(response.body.data.by_month).toEqual([
      { month: "2026-12-01", currency: "EUR", deal_count: 1, value_cents: 777, weighted_cents: 544 },
      { month: "2026-12-01", currency: "USD", deal_count: 2, value_cents: 460, weighted_cents: 47 },
      { month: "2027-01-01", currency: "USD", deal_count: 2, value_cents: 1_001_000, weighted_cents: 400_330 },
    ]);
  });

  it("follows a move, and shows a member only their deals", async () => {
    const mine = await api(member, "/api/pipeline/forecast");
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual({
      by_stage: [
        expect.objectContaining({
          stage_key: "negotiation",
          currency: "USD",
          deal_count: 1,
          value_cents: 45,
          weighted_cents: 32,
        }),
      ],
      by_month: [],
    });
    const other = await signUp(request, "forecast-empty");
    expect((await api(other, "/api/pipeline/forecast")).body.data).toEqual({ by_stage: [], by_month: [] });
  });
});

describe("/api/pipeline/stages", () => {
  let owner: SignedUp;
  let manager: Member;
  let member: Member;
  let ids: Record<string, string>;

  beforeAll(async () => {
    owner = await signUp(request, "stages");
    manager = await addMember(request, owner, "manager");
    member = await addMember(request, owner, "member");
    ids = await stageIds(owner.agency.id);
  });

  async function keys(as: Actor = owner): Promise<string[]> {
    const response = await api(as, "/api/pipeline/stages");
    expect(response.status).toBe(200);
    return response.body.data.map((s: { key: string }) => s.key);
  }

  it("starts with lead 10, proposal 40, negotiation 70, won 100, lost 0", async () => {
    const response = await api(member, "/api/pipeline/stages");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 5, page: 1, per_page: 5 });
    expect(
      response.body.data.map((s: { key: string; name: string; default_probability: number; kind: string }) => [
        s.key,
        s.name,
        s.default_probability,
        s.kind,
      ]),
    ).toEqual([
      ["lead", "Lead", 10, "open"],
      ["proposal", "Proposal", 40, "open"],
      ["negotiation", "Negotiation", 70, "open"],
      ["won", "Won", 100, "won"],
      ["lost", "Lost", 0, "lost"],
    ]);
  });

  it("adds open stages after the open ones, with unique keys", async () => {
    const added = await api(manager, "/api/pipeline/stages", {
      body: { name: "Discovery Call", default_probability: 25 },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.data).toMatchObject({
      key: "discovery_call",
      name: "Discovery Call",
      kind: "open",
      default_probability: 25,
    });
    ids.discovery_call = added.body.data.id;
    const again = await api(owner, "/api/pipeline/stages", {
      body: { name: "Discovery call!", default_probability: 30 },
    });
    expect(again.status).toBe(201);
    expect(again.body.data.key).toBe("discovery_call_2");
    ids.discovery_call_2 = again.body.data.id;
    expect(await keys()).toEqual([
      "lead",
      "proposal",
      "negotiation",
      "discovery_call",
      "discovery_call_2",
      "won",
      "lost",
    ]);

    for (const body of [
      { name: "Sure thing", default_probability: 140 },
      { name: "", default_probability: 10 },
      { name: "No odds" },
    ]) {
      expect((await api(owner, "/api/pipeline/stages", { body })).status, JSON.stringify(body)).toBe(422);
    }
    // A deal can go into the new stage, and takes its probability.
    const client = await createClient(owner, { name: "Stage Co" });
    const deal = await createDeal(owner, { client_id: client, title: "In discovery", stage: "discovery_call" });
    expect(deal.probability).toBe(25);
  });

  it("renames a stage and changes its default probability", async () => {
    const response = await api(owner, "/api/pipeline/stages", {
      method: "PATCH",
      body: {
        stages: [
          { id: ids.proposal, name: "Proposal sent", default_probability: 45 },
          { id: ids.won, name: "Signed" },
        ],
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const byId = Object.fromEntries(response.body.data.map((s: { id: string }) => [s.id, s]));
    expect(byId[ids.proposal!]).toMatchObject({ key: "proposal", name: "Proposal sent", default_probability: 45 });
    expect(byId[ids.won!]).toMatchObject({ key: "won", name: "Signed", kind: "won", default_probability: 100 });
    // The won stage's probability stays 100.
    const forced = await api(owner, "/api/pipeline/stages", {
      method: "PATCH",
      body: { stages: [{ id: ids.won, default_probability: 50 }] },
    });
    expect(forced.status).toBe(422);
    const [won] = await adminSql()`select default_probability from public.pipeline_stages where id = ${ids.won!}`;
    expect(won!.default_probability).toBe(100);
  });

  it("reorders the open stages; a list missing one (or with won in it) is 422 and changes nothing", async () => {
    const order = [ids.discovery_call, ids.lead, ids.negotiation, ids.proposal, ids.discovery_call_2];
    const response = await api(owner, "/api/pipeline/stages", { method: "PATCH", body: { order } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.map((s: { key: string }) => s.key)).toEqual([
      "discovery_call",
      "lead",
      "negotiation",
      "proposal",
      "discovery_call_2",
      "won",
      "lost",
    ]);
    // A new deal without a stage goes to the first open stage.
    const client = await createClient(owner, { name: "Order Co" });
    expect((await createDeal(owner, { client_id: client, title: "First column" })).stage_key).toBe("discovery_call");

    const positions =
      await adminSql()`select id, position from public.pipeline_stages where agency_id = ${owner.agency.id} order by id`;
    for (const bad of [
      order.slice(1),
      [...order, ids.won],
      [...order.slice(1), ids.won],
      [...order, order[0]],
      [...order.slice(1), (await stageIds((await signUp(request, "stages-other")).agency.id)).lead],
    ]) {
      const refused = await api(owner, "/api/pipeline/stages", { method: "PATCH", body: { order: bad } });
      expect(refused.status, JSON.stringify(bad)).toBe(422);
      expect(refused.body.code).toBe("stage_list_mismatch");
    }
    expect(
      await adminSql()`select id, position from public.pipeline_stages where agency_id = ${owner.agency.id} order by id`,
    ).toEqual(positions);
  });

  it("removes an empty open stage; a stage with deals is 422 stage_has_deals naming the count", async () => {
    const client = await createClient(owner, { name: "Busy Co" });
    await createDeal(owner, { client_id: client, title: "N one", stage: "negotiation" });
    await createDeal(owner, { client_id: client, title: "N two", stage: "negotiation" });
    const busy = await api(owner, `/api/pipeline/stages/${ids.negotiation}`, { method: "DELETE" });
    expect(busy.status).toBe(422);
    expect(busy.body.code).toBe("stage_has_deals");
    expect(busy.body.detail).toMatch(/\b2 deal/);
    expect(busy.body.detail).toContain("Negotiation");
    expect(await keys()).toContain("negotiation");

    const removed = await api(manager, `/api/pipeline/stages/${ids.discovery_call_2}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await keys()).not.toContain("discovery_call_2");
    expect((await api(owner, `/api/pipeline/stages/${ids.discovery_call_2}`, { method: "DELETE" })).status).toBe(409);
  });

  it("never removes the won or lost stage (409)", async () => {
    for (const id of [ids.won, ids.lost]) {
      const response = await api(owner, `/api/pipeline/stages/${id}`, { method: "DELETE" });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe("stage_locked");
    }
    expect(await keys()).toEqual(expect.arrayContaining(["won", "lost"]));
    expect((await api(owner, "/api/pipeline/stages/not-a-uuid", { method: "DELETE" })).status).toBe(422);
  });

  it("lets a member change nothing", async () => {
    const snapshot = async () =>
      adminSql()`select id, key, name, position, default_probability from public.pipeline_stages where agency_id = ${owner.agency.id} order by id`;
    const before = await snapshot();
    const current = (await api(owner, "/api/pipeline/stages")).body.data.filter(
      (s: { kind: string }) => s.kind === "open",
    );
    const reversed = current.map((s: { id: string }) => s.id).reverse();

    const add = await api(member, "/api/pipeline/stages", { body: { name: "Member stage", default_probability: 5 } });
    expect(add.status).toBe(403);
    const rename = await api(member, "/api/pipeline/stages", {
      method: "PATCH",
      body: { stages: [{ id: ids.lead, name: "Renamed by member" }] },
    });
    expect(rename.status).toBeGreaterThanOrEqual(403);
    expect(rename.status).toBeLessThan(500);
    const reorder = await api(member, "/api/pipeline/stages", { method: "PATCH", body: { order: reversed } });
    expect.soft(reorder.status, "a member's reorder must be refused, not answered 200").toBe(403);
    const remove = await api(member, `/api/pipeline/stages/${ids.discovery_call}`, { method: "DELETE" });
    expect(remove.status).toBeGreaterThanOrEqual(403);
    expect(remove.status).toBeLessThan(500);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/api/project-templates", () => {
  let owner: SignedUp;
  let member: Member;
  let client: string;

  beforeAll(async () => {
    owner = await signUp(request, "templates");
    member = await addMember(request, owner, "member");
    client = await createClient(owner, { name: "Template Co" });
  });

  it("lists the default template with its tasks in order", async () => {
    const response = await api(member, "/api/project-templates");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 1, page: 1, per_page: 1 });
    expect(response.body.data).toEqual([
      expect.objectContaining({
        name: "Standard project",
        is_default: true,
        billing_type: "fixed",
        tasks: DEFAULT_TASKS,
      }),
    ]);
  });

  it("creates a template with its tasks in the order given; a won deal with it gets those tasks", async () => {
    const created = await api(owner, "/api/project-templates", {
      body: {
        name: "Retainer onboarding",
        description: "Monthly SEO",
        billing_type: "retainer",
        tasks: ["Zeta audit", "  Alpha roadmap ", "Monthly report", "Alpha roadmap"],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data).toMatchObject({
      id: expect.any(String),
      name: "Retainer onboarding",
      description: "Monthly SEO",
      billing_type: "retainer",
      is_default: false,
      tasks: ["Zeta audit", "Alpha roadmap", "Monthly report", "Alpha roadmap"],
    });
    const templateId = created.body.data.id;
    const list = await api(owner, "/api/project-templates");
    expect(list.body.data.map((t: { name: string }) => t.name)).toEqual(["Standard project", "Retainer onboarding"]);

    const deal = await createDeal(owner, {
      client_id: client,
      title: "SEO retainer",
      value_cents: 250_000,
      billing_type: "retainer",
      template_id: templateId,
    });
    const won = await move(owner, deal.id, { stage: "won" });
    expect(won.status).toBe(200);
    expect(won.body.project.created).toBe(true);
    const [project] = await projectsOf(deal.id);
    expect(project).toMatchObject({ template_id: templateId, billing_type: "retainer", budget_cents: 250_000 });
    expect(await taskTitles(project!.id)).toEqual(["Zeta audit", "Alpha roadmap", "Monthly report", "Alpha roadmap"]);
  });

  it("makes a new default template take over from the old one", async () => {
    const created = await api(owner, "/api/project-templates", {
      body: { name: "Agile default", is_default: true, tasks: ["Sprint 0", "Sprint 1"] },
    });
    expect(created.status).toBe(201);
    const list = await api(owner, "/api/project-templates");
    const defaults = list.body.data.filter((t: { is_default: boolean }) => t.is_default);
    expect(defaults.map((t: { name: string }) => t.name)).toEqual(["Agile default"]);
    const deal = await createDeal(owner, { client_id: client, title: "Agile build" });
    const won = await move(owner, deal.id, { stage: "won" });
    expect(await taskTitles(won.body.project.id)).toEqual(["Sprint 0", "Sprint 1"]);
  });

  it("refuses bad templates, a member, and another agency's template on a deal", async () => {
    const before =
      await adminSql()`select count(*)::int as n from public.project_templates where agency_id = ${owner.agency.id}`;
    for (const body of [
      { tasks: ["x"] },
      { name: "Empty task", tasks: [""] },
      { name: "x", billing_type: "barter" },
      { name: "x", agency_id: owner.agency.id },
    ]) {
      expect((await api(owner, "/api/project-templates", { body })).status, JSON.stringify(body)).toBe(422);
    }
    const byMember = await api(member, "/api/project-templates", { body: { name: "Member's", tasks: ["a"] } });
    expect(byMember.status).toBe(403);
    expect(
      await adminSql()`select count(*)::int as n from public.project_templates where agency_id = ${owner.agency.id}`,
    ).toEqual(before);

    const stranger = await signUp(request, "templates-stranger");
    const [theirs] = await adminSql()`select id from public.project_templates where agency_id = ${stranger.agency.id}`;
    const dealsBefore = (await crmCounts(owner.agency.id)).deals;
    const refused = await api(owner, "/api/deals", {
      body: { client_id: client, title: "Borrowed plan", template_id: theirs!.id },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("invalid_reference");
    expect((await crmCounts(owner.agency.id)).deals).toBe(dealsBefore);
    expect(refused.body.errors, JSON.stringify(refused.body)).toHaveProperty("template_id");
  });
});
