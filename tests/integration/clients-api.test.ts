import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { crmCounts } from "../setup/crm.ts";
import { addMember, adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/** The clients API: create, list (search, filters, sorts, pages), read, change, archive, timeline. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

type Member = Awaited<ReturnType<typeof addMember>>;
type Actor = { access_token: string };

function api(as: Actor, path: string, options: { method?: string; body?: unknown } = {}) {
  return request(path, { ...options, token: as.access_token });
}

async function createClient(as: Actor, body: Record<string, unknown>): Promise<string> {
  const response = await api(as, "/api/clients", { body });
  if (response.status !== 201)
    throw new Error(`client not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data.id;
}

async function createDeal(as: Actor, body: Record<string, unknown>): Promise<string> {
  const response = await api(as, "/api/deals", { body });
  if (response.status !== 201) throw new Error(`deal not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data.id;
}

async function listNames(as: Actor, query: string): Promise<string[]> {
  const response = await api(as, `/api/clients?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((c: { name: string }) => c.name);
}

const NIL_UUID = "00000000-0000-4000-8000-000000000000";

describe("POST /api/clients", () => {
  let owner: SignedUp;
  let member: Member;

  beforeAll(async () => {
    owner = await signUp(request, "cl-create");
    member = await addMember(request, owner, "member");
  });

  it("creates a client with its primary contact: 201, and the rows are there", async () => {
    const before = await crmCounts(owner.agency.id);
    const response = await api(owner, "/api/clients", {
      body: {
        name: "  Acme Design  ",
        industry: "Design",
        size: "11-50",
        website: "https://acme.example",
        address: "Unter den Linden 1, Berlin",
        country: "de",
        currency: "eur",
        relationship: "prospect",
        notes: "Met at a conference.",
        contact_name: "Lena Ortiz",
        contact_email: "  LENA@Acme.Example ",
        contact_phone: "+49 30 1234567",
        contact_title: "CTO",
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "Acme Design" });
    const id = response.body.data.id;

    const [client] = await adminSql()`
      select agency_id, name, industry, size, website, address, country, currency, relationship::text, notes,
             archived_at, tags
      from public.clients where id = ${id}`;
    expect(client).toEqual({
      agency_id: owner.agency.id,
      name: "Acme Design",
      industry: "Design",
      size: "11-50",
      website: "https://acme.example",
      address: "Unter den Linden 1, Berlin",
      country: "DE",
      currency: "EUR",
      relationship: "prospect",
      notes: "Met at a conference.",
      archived_at: null,
      tags: [],
    });
    const contacts = await adminSql()`
      select name, email, phone, title, is_primary from public.client_contacts where client_id = ${id}`;
    expect(contacts).toEqual([
      { name: "Lena Ortiz", email: "lena@acme.example", phone: "+49 30 1234567", title: "CTO", is_primary: true },
    ]);
    expect(await crmCounts(owner.agency.id)).toMatchObject({
      clients: before.clients + 1,
      contacts: before.contacts + 1,
    });

    const read = await api(owner, `/api/clients/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.data.client).toMatchObject({ id, name: "Acme Design", country: "DE", lifetime_revenue_cents: 0 });
    expect(read.body.data.client).not.toHaveProperty("search_text");
    expect(read.body.data.contacts).toEqual([
      expect.objectContaining({
        name: "Lena Ortiz",
        email: "lena@acme.example",
        is_primary: true,
        portal_access: false,
      }),
    ]);
  });

  it("creates a client without a contact, with the defaults", async () => {
    const id = await createClient(owner, { name: "Solo Ltd" });
    const contacts = await adminSql()`select id from public.client_contacts where client_id = ${id}`;
    expect(contacts).toEqual([]);
    const read = await api(owner, `/api/clients/${id}`);
    expect(read.body.data.client).toMatchObject({ relationship: "lead", tags: [], currency: null, archived_at: null });
  });

  it("normalises tags: trimmed, lower-case, without duplicates, sorted", async () => {
    const id = await createClient(owner, { name: "Tagged", tags: [" SEO ", "design", "seo", "Ads", "DESIGN"] });
    const [row] = await adminSql()`select tags from public.clients where id = ${id}`;
    expect(row!.tags).toEqual(["ads", "design", "seo"]);
    const read = await api(owner, `/api/clients/${id}`);
    expect(read.body.data.client.tags).toEqual(["ads", "design", "seo"]);
  });

  describe("bad input is refused with the field named, and writes nothing", () => {
    async function expectRefused(body: unknown, expected: { code: string; field?: string; status?: number }) {
      const before = await crmCounts(owner.agency.id);
      const response = await api(owner, "/api/clients", { body });
      expect(response.status, JSON.stringify(response.body)).toBe(expected.status ?? 422);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.body.code).toBe(expected.code);
      if (expected.field) expect(response.body.errors, JSON.stringify(response.body)).toHaveProperty([expected.field]);
      expect(await crmCounts(owner.agency.id)).toEqual(before);
      return response;
    }

    it("a missing or blank company name", async () => {
      await expectRefused({ industry: "Design" }, { code: "validation_failed", field: "name" });
      await expectRefused({ name: "   ", contact_name: "Nobody" }, { code: "validation_failed", field: "name" });
    });

    it("a website without a scheme", async () => {
      const response = await expectRefused(
        { name: "Web Co", website: "example.com" },
        { code: "validation_failed", field: "website" },
      );
      expect(Object.keys(response.body.errors)).toEqual(["website"]);
    });

    it("a country name instead of a two-letter code", async () => {
      await expectRefused({ name: "Land Co", country: "Germany" }, { code: "validation_failed", field: "country" });
    });

    it("a currency the database does not know (foreign key)", async () => {
      await expectRefused(
        { name: "Money Co", currency: "XXX", contact_name: "Penny" },
        { code: "invalid_reference", field: "currency" },
      );
    });

    it("21 tags", async () => {
      const tags = Array.from({ length: 21 }, (_, i) => `tag${i}`);
      await expectRefused({ name: "Many Tags", tags }, { code: "validation_failed", field: "tags" });
    });

    it("an unknown field", async () => {
      const response = await expectRefused(
        { name: "Sneaky", lifetime_revenue_cents: 1_000_000 },
        { code: "validation_failed" },
      );
      expect(JSON.stringify(response.body.errors)).toContain("lifetime_revenue_cents");
      await expectRefused({ name: "Sneaky", agency_id: owner.agency.id }, { code: "validation_failed" });
    });

    it("a contact email without a contact name", async () => {
      await expectRefused(
        { name: "Half Contact", contact_email: "half@contact.example" },
        { code: "validation_failed", field: "contact_name" },
      );
    });
  });

  it("refuses a member with 403, writing nothing", async () => {
    const before = await crmCounts(owner.agency.id);
    const response = await api(member, "/api/clients", { body: { name: "By Member", contact_name: "M" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await crmCounts(owner.agency.id)).toEqual(before);
  });
});

describe("GET /api/clients", () => {
  describe("pagination", () => {
    let owner: SignedUp;
    const names = ["Kilo", "alpha", "Echo", "Bravo", "golf", "Delta", "Foxtrot"];

    beforeAll(async () => {
      owner = await signUp(request, "cl-pages");
      for (const name of names) await createClient(owner, { name });
    });

    it("answers {data, total, page, per_page} with the right total on every page", async () => {
      const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
      const seen: string[] = [];
      for (const [page, size] of [
        [1, 3],
        [2, 3],
        [3, 1],
      ] as const) {
        const response = await api(owner, `/api/clients?sort=name&per_page=3&page=${page}`);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ total: 7, page, per_page: 3 });
        expect(response.body.data).toHaveLength(size);
        seen.push(...response.body.data.map((c: { name: string }) => c.name));
      }
      expect(seen).toEqual(sorted);

      const past = await api(owner, "/api/clients?sort=name&per_page=3&page=4");
      expect(past.status).toBe(200);
      expect(past.body).toEqual({ data: [], total: 7, page: 4, per_page: 3 });
    });

    it("defaults to page 1 of 25", async () => {
      const response = await api(owner, "/api/clients");
      expect(response.body).toMatchObject({ total: 7, page: 1, per_page: 25 });
      expect(response.body.data).toHaveLength(7);
    });

    it("refuses bad paging and sorting parameters with 422", async () => {
      for (const query of [
        "per_page=101",
        "per_page=0",
        "page=0",
        "page=two",
        "sort=size",
        "relationship=friend",
        "x=1",
      ]) {
        const response = await api(owner, `/api/clients?${query}`);
        expect(response.status, query).toBe(422);
        expect(response.body.code, query).toBe("validation_failed");
      }
    });
  });

  describe("search, filters and sorting", () => {
    let owner: SignedUp;
    let other: SignedUp;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      owner = await signUp(request, "cl-search");
      other = await signUp(request, "cl-search-other");
      ids.acme = await createClient(owner, {
        name: "Acme Design",
        industry: "Design",
        tags: ["seo", "ads"],
        relationship: "prospect",
        contact_name: "Lena Ortiz",
        contact_email: "lena@acme-design.example",
      });
      ids.harbor = await createClient(owner, {
        name: "Blue Harbor Foods",
        industry: "Food",
        tags: ["seo"],
        relationship: "active",
        contact_name: "Priya Raman",
        contact_email: "priya@harbor.example",
      });
      ids.copper = await createClient(owner, {
        name: "Copperleaf Studio",
        industry: "design",
        tags: ["ads"],
        relationship: "prospect",
        contact_name: "Tom Becker",
        contact_email: "tom.becker@copperleaf.example",
      });
      // Another agency's look-alike never shows up.
      await createClient(other, { name: "Acme Design", tags: ["seo", "ads"], industry: "Design" });
    });

    it("finds by company name, contact name and contact email", async () => {
      expect(await listNames(owner, "q=copperleaf")).toEqual(["Copperleaf Studio"]);
      expect(await listNames(owner, "q=priya")).toEqual(["Blue Harbor Foods"]);
      expect(await listNames(owner, "q=RAMAN")).toEqual(["Blue Harbor Foods"]);
      expect(await listNames(owner, `q=${encodeURIComponent("tom.becker@copperleaf")}`)).toEqual(["Copperleaf Studio"]);
      expect(await listNames(owner, `q=${encodeURIComponent("priya@harbor")}`)).toEqual(["Blue Harbor Foods"]);
    });

    it("tolerates a typo", async () => {
      const response = await api(owner, `/api/clients?q=${encodeURIComponent("acme desgin")}`);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(1);
      expect(response.body.data.map((c: { id: string }) => c.id)).toEqual([ids.acme]);
      expect(await listNames(owner, `q=${encodeURIComponent("copperlef")}`)).toEqual(["Copperleaf Studio"]);
    });

    it("finds nothing for a term that matches nothing, with total 0", async () => {
      const response = await api(owner, "/api/clients?q=zzqxjv");
      expect(response.body).toEqual({ data: [], total: 0, page: 1, per_page: 25 });
    });

    it("treats % in the search as text, not a wildcard", async () => {
      expect(await listNames(owner, `q=${encodeURIComponent("%")}`)).toEqual([]);
      expect(await listNames(owner, `q=${encodeURIComponent("%%%%")}`)).toEqual([]);
    });

    it("filters by tag (all of several), industry (any case) and relationship", async () => {
      expect(await listNames(owner, "tag=seo&sort=name")).toEqual(["Acme Design", "Blue Harbor Foods"]);
      expect(await listNames(owner, "tag=ADS&sort=name")).toEqual(["Acme Design", "Copperleaf Studio"]);
      expect(await listNames(owner, "tag=seo,ads")).toEqual(["Acme Design"]);
      expect(await listNames(owner, "tag=nope")).toEqual([]);
      expect(await listNames(owner, "industry=DESIGN&sort=name")).toEqual(["Acme Design", "Copperleaf Studio"]);
      expect(await listNames(owner, "relationship=active")).toEqual(["Blue Harbor Foods"]);
      expect(await listNames(owner, "relationship=prospect&tag=ads&industry=design&sort=name")).toEqual([
        "Acme Design",
        "Copperleaf Studio",
      ]);
      const counted = await api(owner, "/api/clients?relationship=prospect");
      expect(counted.body.total).toBe(2);
    });

    it("sorts by name and by creation (newest first)", async () => {
      expect(await listNames(owner, "sort=name")).toEqual(["Acme Design", "Blue Harbor Foods", "Copperleaf Studio"]);
      expect(await listNames(owner, "sort=created")).toEqual(["Copperleaf Studio", "Blue Harbor Foods", "Acme Design"]);
    });

    it("sorts by last activity, which follows the activities logged", async () => {
      const fresh = await signUp(request, "cl-activity");
      const a = await createClient(fresh, { name: "Aardvark" });
      const b = await createClient(fresh, { name: "Badger" });
      const c = await createClient(fresh, { name: "Cheetah" });
      const log = async (clientId: string, at: string) => {
        const response = await api(fresh, `/api/clients/${clientId}/activities`, {
          body: { kind: "call", body: `Called at ${at}`, occurred_at: at },
        });
        expect(response.status, JSON.stringify(response.body)).toBe(201);
      };
      await log(b, "2021-03-01T09:00:00Z");
      await log(c, "2022-03-01T09:00:00Z");
      // No activity sorts last.
      expect(await listNames(fresh, "sort=activity")).toEqual(["Cheetah", "Badger", "Aardvark"]);
      await log(a, "2023-03-01T09:00:00Z");
      expect(await listNames(fresh, "sort=activity")).toEqual(["Aardvark", "Cheetah", "Badger"]);
      // An older entry does not move a client forward; a newer one does.
      await log(b, "2020-01-01T00:00:00Z");
      expect(await listNames(fresh, "sort=activity")).toEqual(["Aardvark", "Cheetah", "Badger"]);
      await log(b, "2024-01-01T00:00:00+02:00");
      expect(await listNames(fresh, "sort=activity")).toEqual(["Badger", "Aardvark", "Cheetah"]);
      const list = await api(fresh, "/api/clients?sort=activity");
      expect(list.body.data[0]).toMatchObject({ name: "Badger", last_activity_at: "2023-12-31T22:00:00Z" });
    });

    it("leaves archived clients out unless archived=true asks for them", async () => {
      const fresh = await signUp(request, "cl-archive-list");
      const kept = await createClient(fresh, { name: "Kept" });
      const gone = await createClient(fresh, { name: "Gone" });
      const archived = await api(fresh, `/api/clients/${gone}/archive`, { method: "POST" });
      expect(archived.status).toBe(200);
      expect(archived.body.data).toEqual({ id: gone, archived_at: expect.any(String) });

      const active = await api(fresh, "/api/clients");
      expect(active.body).toMatchObject({ total: 1, data: [expect.objectContaining({ id: kept })] });
      const onlyArchived = await api(fresh, "/api/clients?archived=true");
      expect(onlyArchived.body).toMatchObject({
        total: 1,
        data: [expect.objectContaining({ id: gone, name: "Gone" })],
      });
      expect(onlyArchived.body.data[0].archived_at).not.toBeNull();
      // A search does not bring archived clients back either.
      expect(await listNames(fresh, "q=gone")).toEqual([]);

      const restored = await api(fresh, `/api/clients/${gone}/unarchive`, { method: "POST" });
      expect(restored.status).toBe(200);
      expect(restored.body.data).toEqual({ id: gone, archived_at: null });
      expect(await listNames(fresh, "sort=name")).toEqual(["Gone", "Kept"]);
      expect((await api(fresh, "/api/clients?archived=true")).body.total).toBe(0);
      // Archiving never deletes.
      const [row] =
        await adminSql()`select count(*)::int as n from public.clients where agency_id = ${fresh.agency.id}`;
      expect(row!.n).toBe(2);
    });
  });
});

describe("a member sees only the clients of deals assigned to them", () => {
  let owner: SignedUp;
  let member: Member;
  let mine: string;
  let notMine: string;

  beforeAll(async () => {
    owner = await signUp(request, "cl-member");
    member = await addMember(request, owner, "member");
    mine = await createClient(owner, {
      name: "Mine Corp",
      contact_name: "Mina Contact",
      contact_email: "mina@mine.example",
    });
    notMine = await createClient(owner, { name: "Theirs Corp", contact_name: "Theo Contact" });
    await createClient(owner, { name: "No Deals Corp" });
    await createDeal(owner, { client_id: mine, title: "Assigned deal", assigned_to: member.user_id });
    await createDeal(owner, { client_id: notMine, title: "Unassigned deal" });
  });

  it("lists only that client, with the right total, and searches within it", async () => {
    const response = await api(member, "/api/clients");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 1, data: [expect.objectContaining({ id: mine, name: "Mine Corp" })] });
    expect(await listNames(member, "q=theirs")).toEqual([]);
    expect((await api(owner, "/api/clients")).body.total).toBe(3);
  });

  it("reads that client, its contacts and timeline; another client is 404", async () => {
    const read = await api(member, `/api/clients/${mine}`);
    expect(read.status).toBe(200);
    expect(read.body.data.contacts).toEqual([expect.objectContaining({ name: "Mina Contact" })]);
    expect(read.body.data.deals).toEqual([expect.objectContaining({ title: "Assigned deal" })]);
    const timeline = await api(member, `/api/clients/${mine}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.data.map((e: { event: string }) => e.event)).toEqual(["deal_created"]);

    for (const path of [`/api/clients/${notMine}`, `/api/clients/${notMine}/timeline`]) {
      const response = await api(member, path);
      expect(response.status, path).toBe(404);
      expect(response.body.code, path).toBe("not_found");
    }
  });

  it("changes nothing: PATCH, archive and activities are 403 on their client, 404 on others", async () => {
    const before = await crmCounts(owner.agency.id);
    const [clientBefore] = await adminSql()`select name, archived_at, notes from public.clients where id = ${mine}`;

    const patch = await api(member, `/api/clients/${mine}`, { method: "PATCH", body: { name: "Hijacked" } });
    expect(patch.status).toBe(403);
    const archive = await api(member, `/api/clients/${mine}/archive`, { method: "POST" });
    expect(archive.status).toBe(403);
    const activity = await api(member, `/api/clients/${mine}/activities`, {
      body: { kind: "note", body: "Member note" },
    });
    expect(activity.status).toBe(403);

    const patchOther = await api(member, `/api/clients/${notMine}`, { method: "PATCH", body: { name: "Hijacked" } });
    expect(patchOther.status).toBe(404);
    const archiveOther = await api(member, `/api/clients/${notMine}/archive`, { method: "POST" });
    expect(archiveOther.status).toBe(404);
    const activityOther = await api(member, `/api/clients/${notMine}/activities`, {
      body: { kind: "note", body: "x" },
    });
    expect(activityOther.status).toBe(404);

    expect(await crmCounts(owner.agency.id)).toEqual(before);
    const [clientAfter] = await adminSql()`select name, archived_at, notes from public.clients where id = ${mine}`;
    expect(clientAfter).toEqual(clientBefore);
    const [other] = await adminSql()`select name, archived_at from public.clients where id = ${notMine}`;
    expect(other).toEqual({ name: "Theirs Corp", archived_at: null });
  });
});

describe("GET and PATCH /api/clients/:id", () => {
  let owner: SignedUp;
  let stranger: SignedUp;
  let clientId: string;
  let strangersClient: string;

  beforeAll(async () => {
    owner = await signUp(request, "cl-patch");
    stranger = await signUp(request, "cl-patch-stranger");
    clientId = await createClient(owner, { name: "Patchable", tags: ["one"], contact_name: "Pat" });
    strangersClient = await createClient(stranger, { name: "Not Yours", notes: "secret" });
  });

  it("changes the fields sent and leaves the others", async () => {
    const response = await api(owner, `/api/clients/${clientId}`, {
      method: "PATCH",
      body: { name: "Patched Inc", tags: ["Two", "one", "two"], relationship: "active", website: null, country: "fr" },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({
      id: clientId,
      name: "Patched Inc",
      tags: ["one", "two"],
      relationship: "active",
      country: "FR",
      website: null,
    });
    const [row] =
      await adminSql()`select name, tags, relationship::text, country from public.clients where id = ${clientId}`;
    expect(row).toEqual({ name: "Patched Inc", tags: ["one", "two"], relationship: "active", country: "FR" });
    // The search index follows the new name.
    expect(await listNames(owner, "q=patched")).toEqual(["Patched Inc"]);
  });

  it("refuses an empty body, a bad value and an unknown field with 422, changing nothing", async () => {
    const [before] = await adminSql()`select * from public.clients where id = ${clientId}`;
    for (const body of [
      {},
      { name: "" },
      { website: "acme.example" },
      { country: "France" },
      { currency: "XXX" },
      { relationship: "friend" },
      { lifetime_revenue_cents: 5 },
      { stripe_customer_id: "cus_123" },
    ]) {
      const response = await api(owner, `/api/clients/${clientId}`, { method: "PATCH", body });
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    const [after] = await adminSql()`select * from public.clients where id = ${clientId}`;
    expect(after).toEqual(before);
  });

  it("answers another agency's client with 404 and leaves it alone", async () => {
    for (const [method, path, body] of [
      ["GET", `/api/clients/${strangersClient}`, undefined],
      ["PATCH", `/api/clients/${strangersClient}`, { name: "Taken" }],
      ["POST", `/api/clients/${strangersClient}/archive`, undefined],
      ["GET", `/api/clients/${strangersClient}/timeline`, undefined],
      ["POST", `/api/clients/${strangersClient}/activities`, { kind: "note", body: "x" }],
      ["GET", `/api/clients/${NIL_UUID}`, undefined],
    ] as const) {
      const response = await api(owner, path, { method, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.code).toBe("not_found");
      expect(JSON.stringify(response.body)).not.toContain("secret");
    }
    const [row] = await adminSql()`select name, archived_at from public.clients where id = ${strangersClient}`;
    expect(row).toEqual({ name: "Not Yours", archived_at: null });
    expect((await crmCounts(stranger.agency.id)).activities).toBe(0);
  });

  it("answers an id that is not a uuid with 422", async () => {
    for (const [method, path, body] of [
      ["GET", "/api/clients/not-a-uuid", undefined],
      ["PATCH", "/api/clients/not-a-uuid", { name: "x" }],
      ["POST", "/api/clients/not-a-uuid/archive", undefined],
      ["GET", "/api/clients/123/timeline", undefined],
      ["POST", "/api/clients/123/activities", { kind: "note", body: "x" }],
    ] as const) {
      const response = await api(owner, path, { method, body });
      expect(response.status, `${method} ${path}`).toBe(422);
      expect(response.body.code).toBe("validation_failed");
    }
  });

  it("answers an unknown client command with 404 and GET on archive with 405", async () => {
    const unknown = await api(owner, `/api/clients/${clientId}/delete`, { method: "POST" });
    expect(unknown.status).toBe(404);
    const get = await api(owner, `/api/clients/${clientId}/archive`);
    expect(get.status).toBe(405);
    const [row] = await adminSql()`select archived_at from public.clients where id = ${clientId}`;
    expect(row!.archived_at).toBeNull();
  });
});

describe("timeline and activities", () => {
  let owner: SignedUp;
  let manager: Member;
  let member: Member;
  let clientId: string;

  beforeAll(async () => {
    owner = await signUp(request, "cl-timeline");
    manager = await addMember(request, owner, "manager");
    member = await addMember(request, owner, "member");
    clientId = await createClient(owner, { name: "Timeline Co", contact_name: "Tim Line" });
  });

  it("logs notes, calls, meetings and emails (201) by owners and managers", async () => {
    const kinds = [
      ["note", "2025-01-10T09:00:00Z", owner],
      ["call", "2025-02-10T09:00:00Z", manager],
      ["meeting", "2025-03-10T09:00:00+01:00", owner],
      ["email", "2025-04-10T09:00:00Z", manager],
    ] as const;
    for (const [kind, at, as] of kinds) {
      const response = await api(as, `/api/clients/${clientId}/activities`, {
        body: { kind, body: `  A ${kind}  `, occurred_at: at },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.data).toEqual({
        id: expect.any(String),
        occurred_at: new Date(at).toISOString().replace(".000Z", "Z"),
      });
    }
    const rows = await adminSql()`
      select kind::text, body, created_by from public.client_activities where client_id = ${clientId} order by occurred_at`;
    expect(rows).toEqual([
      { kind: "note", body: "A note", created_by: owner.user.id },
      { kind: "call", body: "A call", created_by: manager.user_id },
      { kind: "meeting", body: "A meeting", created_by: owner.user.id },
      { kind: "email", body: "A email", created_by: manager.user_id },
    ]);
  });

  it("defaults occurred_at to now", async () => {
    const other = await createClient(owner, { name: "Now Co" });
    const started = Date.now();
    const response = await api(owner, `/api/clients/${other}/activities`, {
      body: { kind: "note", body: "Right now" },
    });
    expect(response.status).toBe(201);
    const at = Date.parse(response.body.data.occurred_at);
    expect(Math.abs(at - started)).toBeLessThan(60_000);
  });

  it("refuses a system kind, an empty body, a non-ISO time and unknown fields with 422, writing nothing", async () => {
    const before = await crmCounts(owner.agency.id);
    const cases: [unknown, string][] = [
      [{ kind: "system", body: "Deal won (forged)" }, "kind"],
      [{ kind: "lunch", body: "Pizza" }, "kind"],
      [{ kind: "note", body: "   " }, "body"],
      [{ kind: "note" }, "body"],
      [{ kind: "call", body: "Called", occurred_at: "yesterday" }, "occurred_at"],
      [{ kind: "call", body: "Called", occurred_at: "2025-13-45T10:00:00Z" }, "occurred_at"],
      [{ kind: "call", body: "Called", occurred_at: "25/11/2026 10:00" }, "occurred_at"],
      [{ kind: "note", body: "x", event: "deal_won" }, "_"],
    ];
    for (const [body, field] of cases) {
      const response = await api(owner, `/api/clients/${clientId}/activities`, { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.code).toBe("validation_failed");
      expect(response.body.errors, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect(await crmCounts(owner.agency.id)).toEqual(before);
  });

  it("refuses a member with 403 even on a client they can see", async () => {
    await createDeal(owner, { client_id: clientId, title: "Member's deal", assigned_to: member.user_id });
    const before = await crmCounts(owner.agency.id);
    const response = await api(member, `/api/clients/${clientId}/activities`, {
      body: { kind: "call", body: "Hello" },
    });
    expect(response.status).toBe(403);
    expect(await crmCounts(owner.agency.id)).toEqual(before);
    // …but reads the timeline.
    expect((await api(member, `/api/clients/${clientId}/timeline`)).status).toBe(200);
  });

  it("lists newest first, with the system events of deals and the won deal's project", async () => {
    const fresh = await createClient(owner, { name: "Events Co" });
    const log = (kind: string, at: string) =>
      api(owner, `/api/clients/${fresh}/activities`, { body: { kind, body: `${kind} at ${at}`, occurred_at: at } });
    expect((await log("note", "2020-01-01T10:00:00Z")).status).toBe(201);
    expect((await log("call", "2020-06-01T10:00:00Z")).status).toBe(201);
    const dealId = await createDeal(owner, { client_id: fresh, title: "Website relaunch", value_cents: 500_000 });
    const moved = await api(owner, `/api/deals/${dealId}/stage`, { body: { stage: "proposal" } });
    expect(moved.status).toBe(200);
    const won = await api(owner, `/api/deals/${dealId}/stage`, { body: { stage: "won" } });
    expect(won.status).toBe(200);
    const projectId = won.body.project.id;

    const response = await api(owner, `/api/clients/${fresh}/timeline`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 6, page: 1, per_page: 50 });
    const entries = response.body.data as {
      kind: string;
      event: string | null;
      body: string;
      occurred_at: string;
      deal_id: string | null;
      project_id: string | null;
      created_by_name: string | null;
    }[];
    expect(entries.map((e) => [e.kind, e.event])).toEqual([
      ["system", "project_created"],
      ["system", "deal_won"],
      ["system", "deal_moved"],
      ["system", "deal_created"],
      ["call", null],
      ["note", null],
    ]);
    const times = entries.map((e) => Date.parse(e.occurred_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(entries[0]).toMatchObject({
      project_id: projectId,
      deal_id: dealId,
      body: 'Project "Website relaunch" created',
    });
    expect(entries[1]).toMatchObject({ deal_id: dealId, body: 'Deal "Website relaunch" won' });
    expect(entries[2]).toMatchObject({ deal_id: dealId, body: 'Deal "Website relaunch" moved from Lead to Proposal' });
    expect(entries[4]).toMatchObject({ body: "call at 2020-06-01T10:00:00Z", created_by_name: "cl-timeline person" });

    const paged = await api(owner, `/api/clients/${fresh}/timeline?per_page=2&page=3`);
    expect(paged.body).toMatchObject({ total: 6, page: 3, per_page: 2 });
    expect(paged.body.data.map((e: { kind: string }) => e.kind)).toEqual(["call", "note"]);
    // Winning made the client active.
    const [client] = await adminSql()`select relationship::text from public.clients where id = ${fresh}`;
    expect(client!.relationship).toBe("active");
  });
});
