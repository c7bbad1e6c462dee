import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { session, visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, randomClientIp, trustForwardedFor } from "../setup/client-ip.ts";
import { crmCounts } from "../setup/crm.ts";
import { addMember, adminSql, http, PASSWORD, signUp, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/** CSV import (preview, then confirm) and CSV export of clients, through the pages as a browser uses them. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

type Member = Awaited<ReturnType<typeof addMember>>;

async function signedIn(email: string): Promise<BrowserSession> {
  const browser = session(app.url);
  const page = await browser.post(
    "/login",
    { intent: "password", email, password: PASSWORD, next: "/" },
    { headers: { "X-Forwarded-For": randomClientIp() } },
  );
  expect(page.status).toBe(302);
  return browser;
}

function cookieHeader(browser: BrowserSession): string {
  return ["crm_auth", "crm_agency", "crm_activity"]
    .map((name) => [name, browser.cookie(name)])
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

/** A multipart form post, as the import page's forms (encType multipart/form-data) send it. */
async function postMultipart(browser: BrowserSession, path: string, form: FormData) {
  const response = await fetch(app.url() + path, {
    method: "POST",
    body: form,
    headers: { Cookie: cookieHeader(browser), Origin: app.url() },
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}

function preview(browser: BrowserSession, csv: string, fileName = "clients.csv") {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), fileName);
  return postMultipart(browser, "/clients/import", form);
}

function confirm(browser: BrowserSession, rowsJson: string) {
  const form = new FormData();
  form.set("intent", "import");
  form.set("rows", rowsJson);
  return postMultipart(browser, "/clients/import", form);
}

function decodeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The rows JSON the preview page carries in its confirm form. */
function rowsOnPage(html: string): string {
  const tag = /<input[^>]*\bname="rows"[^>]*>/.exec(html)?.[0];
  const value = tag && /\bvalue="([^"]*)"/.exec(tag)?.[1];
  if (value === undefined) throw new Error("the preview page has no rows to confirm");
  return decodeAttribute(value);
}

/** Result cells of the preview or result table, one per CSV row, in order. */
function resultRows(html: string): string[] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => visibleText(m[1]!));
}

async function clientsWithContacts(agencyId: string) {
  return adminSql()<
    {
      name: string;
      industry: string | null;
      tags: string[];
      website: string | null;
      country: string | null;
      currency: string | null;
      relationship: string;
      contacts: {
        name: string;
        email: string | null;
        phone: string | null;
        title: string | null;
        is_primary: boolean;
      }[];
    }[]
  >`
    select c.name, c.industry, c.tags, c.website, c.country, c.currency, c.relationship::text,
           coalesce((select json_agg(json_build_object('name', cc.name, 'email', cc.email, 'phone', cc.phone,
                                                       'title', cc.title, 'is_primary', cc.is_primary) order by cc.name)
                     from public.client_contacts cc where cc.client_id = c.id), '[]') as contacts
    from public.clients c where c.agency_id = ${agencyId} order by c.name`;
}

const MIXED_CSV = [
  "Company,Industry,Tags,Website,Country,Currency,Relationship,Contact Name,Email,Phone,Title",
  "Acme Design,Design,SEO;ads;seo,https://acme.example,de,eur,Prospect,Lena Ortiz,LENA@Acme.Example,+49 30 1,CTO",
  ",Retail,,,,,,Nameless Contact,nameless@broken.example,,",
  "Web Without Scheme,,,acme.example,,,,Wes Site,wes@broken.example,,",
  "Landlocked,,,,Germany,,,Lars Land,lars@broken.example,,",
  "Best Friends Ltd,,,,,,friend,Fritz Friend,fritz@broken.example,,",
  "Email Only GmbH,,,,,,,,orphan@broken.example,,",
  '"Smith, ""Jones"" & Co",Law,vip,,GB,GBP,active,Sam Smith,sam@smith.example,,Partner',
  "Northwind,,,,,,,,,,",
].join("\r\n");

describe("/clients/import", () => {
  let owner: SignedUp;
  let member: Member;
  let browser: BrowserSession;
  let previewHtml: string;

  beforeAll(async () => {
    owner = await signUp(request, "import");
    member = await addMember(request, owner, "member");
    browser = await signedIn(owner.email);
  });

  it("previews every row with the broken rows' errors, and writes nothing", async () => {
    const before = await crmCounts(owner.agency.id);
    const page = await preview(browser, MIXED_CSV);
    expect(page.status).toBe(200);
    previewHtml = page.html;
    expect(await crmCounts(owner.agency.id)).toEqual(before);
    expect(before).toMatchObject({ clients: 0, contacts: 0 });

    const text = visibleText(page.html);
    expect(text).toContain("2. Check and confirm");
    expect(text).toContain("3 row(s) will import, 5 row(s) have problems and will be skipped.");
    expect(text).toContain("Import 3 client(s)");

    const rows = resultRows(page.html);
    expect(rows).toHaveLength(8);
    // CSV line numbers: the header is line 1.
    expect(rows[0]).toMatch(/^2 Acme Design Lena Ortiz · LENA@Acme\.Example Ready$/);
    expect(rows[1]).toMatch(/^3 \(empty\) Nameless Contact · nameless@broken\.example name: .+/);
    expect(rows[2]).toMatch(/^4 Web Without Scheme .* website: .+/);
    expect(rows[3]).toMatch(/^5 Landlocked .* country: .+/);
    expect(rows[4]).toMatch(/^6 Best Friends Ltd .*friend/);
    expect(rows[4]).toMatch(/relationship/i);
    expect(rows[5]).toMatch(/^7 Email Only GmbH orphan@broken\.example contact name: .+/);
    expect(rows[6]).toMatch(/^8 Smith, "Jones" & Co Sam Smith · sam@smith\.example Ready$/);
    expect(rows[7]).toMatch(/^9 Northwind Ready$/);
    for (const broken of rows.slice(1, 6)) expect(broken).not.toContain("Ready");
  });

  it("imports the good rows, each with its contact, when confirmed, and skips the bad ones entirely", async () => {
    const rowsJson = rowsOnPage(previewHtml);
    expect(JSON.parse(rowsJson)).toHaveLength(8);
    const page = await confirm(browser, rowsJson);
    expect(page.status).toBe(200);
    const text = visibleText(page.html);
    expect(text).toContain("Import finished");
    expect(text).toContain("3 client(s) imported, 5 row(s) skipped");
    const rows = resultRows(page.html);
    expect(rows.filter((r) => r.endsWith("Imported"))).toHaveLength(3);

    expect(await clientsWithContacts(owner.agency.id)).toEqual([
      {
        name: "Acme Design",
        industry: "Design",
        tags: ["ads", "seo"],
        website: "https://acme.example",
        country: "DE",
        currency: "EUR",
        relationship: "prospect",
        contacts: [
          { name: "Lena Ortiz", email: "lena@acme.example", phone: "+49 30 1", title: "CTO", is_primary: true },
        ],
      },
      {
        name: "Northwind",
        industry: null,
        tags: [],
        website: null,
        country: null,
        currency: null,
        relationship: "lead",
        contacts: [],
      },
      {
        name: 'Smith, "Jones" & Co',
        industry: "Law",
        tags: ["vip"],
        website: null,
        country: "GB",
        currency: "GBP",
        relationship: "active",
        contacts: [{ name: "Sam Smith", email: "sam@smith.example", phone: null, title: "Partner", is_primary: true }],
      },
    ]);
    // Nothing of a broken row: no client without its contact, no contact without its client.
    const stray = await adminSql()`
      select email from public.client_contacts where agency_id = ${owner.agency.id} and email like '%@broken.example'`;
    expect(stray).toEqual([]);
    expect(await crmCounts(owner.agency.id)).toMatchObject({ clients: 3, contacts: 2 });
    // Imported clients are found by the search like any other.
    const found = await request(`/api/clients?q=${encodeURIComponent("lena ortiz")}`, { token: owner.access_token });
    expect(found.body.data.map((c: { name: string }) => c.name)).toEqual(["Acme Design"]);
  });

  it("answers a file without a company column with 422 and a message, writing nothing", async () => {
    const before = await crmCounts(owner.agency.id);
    const page = await preview(browser, "Industry,Email,Contact\nDesign,a@b.example,Ann\n");
    expect(page.status).toBe(422);
    expect(visibleText(page.html)).toContain("The file needs a column with the company name (name or company).");
    expect(page.html).not.toContain('name="rows"');
    expect(await crmCounts(owner.agency.id)).toEqual(before);
  });

  it("answers a file of more than 5000 rows with 422, writing nothing", async () => {
    const before = await crmCounts(owner.agency.id);
    const lines = ["name,contact_name"];
    for (let i = 1; i <= 5001; i += 1) lines.push(`Bulk ${i},Person ${i}`);
    const page = await preview(browser, lines.join("\n"));
    expect(page.status).toBe(422);
    expect(visibleText(page.html)).toContain("Import at most 5000 rows at a time.");
    expect(await crmCounts(owner.agency.id)).toEqual(before);

    // Sent straight to the confirm step, the database's own limit holds.
    const rows = JSON.stringify(Array.from({ length: 5001 }, (_, i) => ({ name: `Bulk ${i}` })));
    const direct = await confirm(browser, rows);
    expect(direct.status).toBe(422);
    expect(visibleText(direct.html)).toContain("Import at most 5000 rows at a time");
    expect(await crmCounts(owner.agency.id)).toEqual(before);
  });

  it("answers an empty upload and a header-only file with 422", async () => {
    const before = await crmCounts(owner.agency.id);
    const none = await postMultipart(browser, "/clients/import", new FormData());
    expect(none.status).toBe(422);
    expect(visibleText(none.html)).toContain("Choose a CSV file.");
    const headerOnly = await preview(browser, "name,contact_name\n");
    expect(headerOnly.status).toBe(422);
    expect(visibleText(headerOnly.html)).toContain("The file has no rows.");
    expect(await crmCounts(owner.agency.id)).toEqual(before);
  });

  it("imports nothing for a member, in the preview or when confirmed", async () => {
    const memberBrowser = await signedIn(member.email);
    const before = await crmCounts(owner.agency.id);
    const csv = "name,contact_name,contact_email\nMember Co,Mem Ber,mem@member.example\nOther Co,,\n";
    const page = await preview(memberBrowser, csv);
    expect(page.status).toBe(200);
    const rows = resultRows(page.html);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toContain("You may not import clients into this agency.");
    expect(await crmCounts(owner.agency.id)).toEqual(before);

    const done = await confirm(
      memberBrowser,
      JSON.stringify([
        { name: "Member Co", contact_name: "Mem Ber", contact_email: "mem@member.example" },
        { name: "Other Co" },
      ]),
    );
    expect(done.status).toBe(200);
    expect(visibleText(done.html)).toContain("0 client(s) imported, 2 row(s) skipped");
    expect(await crmCounts(owner.agency.id)).toEqual(before);
    const [named] =
      await adminSql()`select count(*)::int as n from public.clients where name in ('Member Co', 'Other Co')`;
    expect(named!.n).toBe(0);
  });

  it("needs a signed-in user", async () => {
    const form = new FormData();
    form.set("intent", "import");
    form.set("rows", JSON.stringify([{ name: "Anonymous Co" }]));
    const response = await fetch(app.url() + "/clients/import", {
      method: "POST",
      body: form,
      headers: { Origin: app.url() },
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login/);
    const [named] = await adminSql()`select count(*)::int as n from public.clients where name = 'Anonymous Co'`;
    expect(named!.n).toBe(0);
  });
});

describe("/clients/export.csv", () => {
  let owner: SignedUp;
  let browser: BrowserSession;

  async function createClient(body: Record<string, unknown>, as: SignedUp = owner): Promise<string> {
    const response = await request("/api/clients", { token: as.access_token, body });
    if (response.status !== 201)
      throw new Error(`client not created: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data.id;
  }

  beforeAll(async () => {
    owner = await signUp(request, "export");
    browser = await signedIn(owner.email);
    await createClient({
      name: 'Smith, "Jones" & Co',
      industry: "Law",
      tags: ["vip", "legal"],
      relationship: "active",
      currency: "GBP",
      website: "https://smith.example",
      contact_name: "Sam Smith",
      contact_email: "sam@smith.example",
    });
    await createClient({ name: "Smithfield Bakery", tags: ["food"], contact_name: "Bea Baker" });
    await createClient({ name: "Line\nBreak Smith Ltd" });
    await createClient({ name: "Northwind", tags: ["vip"] });
    const archived = await createClient({ name: "Smith Archived" });
    expect(
      (await request(`/api/clients/${archived}/archive`, { method: "POST", token: owner.access_token })).status,
    ).toBe(200);
    const other = await signUp(request, "export-other");
    await createClient({ name: "Smith Elsewhere" }, other);
  });

  async function exportCsv(query: string) {
    const page = await browser.get(`/clients/export.csv${query}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/csv\b/);
    expect(page.headers.get("content-disposition")).toMatch(/^attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"$/);
    const records = parse(page.html, { columns: false, skip_empty_lines: true }) as string[][];
    return { raw: page.html, header: records[0], rows: records.slice(1) };
  }

  it("exports exactly the clients of the search, with quotes, commas and line breaks escaped", async () => {
    const { raw, header, rows } = await exportCsv("?q=smith&sort=name");
    expect(header).toEqual([
      "name",
      "industry",
      "tags",
      "relationship",
      "website",
      "currency",
      "contact_name",
      "contact_email",
      "open_deals",
      "last_activity_at",
      "created_at",
    ]);
    expect(rows.map((r) => r[0])).toEqual(["Line\nBreak Smith Ltd", 'Smith, "Jones" & Co', "Smithfield Bakery"]);
    expect(raw).toContain('"Smith, ""Jones"" & Co"');
    const smith = rows.find((r) => r[0] === 'Smith, "Jones" & Co')!;
    expect(smith.slice(0, 9)).toEqual([
      'Smith, "Jones" & Co',
      "Law",
      "legal;vip",
      "active",
      "https://smith.example",
      "GBP",
      "Sam Smith",
      "sam@smith.example",
      "0",
    ]);
    expect(Date.parse(smith[10]!)).not.toBeNaN();
  });

  it("exports the tag filter, every client without one, and the archived ones when asked", async () => {
    expect((await exportCsv("?tag=vip&sort=name")).rows.map((r) => r[0])).toEqual(["Northwind", 'Smith, "Jones" & Co']);
    expect((await exportCsv("?sort=name")).rows.map((r) => r[0])).toEqual([
      "Line\nBreak Smith Ltd",
      "Northwind",
      'Smith, "Jones" & Co',
      "Smithfield Bakery",
    ]);
    expect((await exportCsv("?archived=true")).rows.map((r) => r[0])).toEqual(["Smith Archived"]);
  });

  it("exports more than one page of clients", async () => {
    const big = await signUp(request, "export-big");
    await adminSql()`
      insert into public.clients (agency_id, name)
      select ${big.agency.id}::uuid, 'Bulk ' || lpad(n::text, 3, '0') from generate_series(1, 130) as n`;
    const bigBrowser = await signedIn(big.email);
    const page = await bigBrowser.get("/clients/export.csv?sort=name");
    expect(page.status).toBe(200);
    const records = parse(page.html, { columns: true }) as { name: string }[];
    expect(records).toHaveLength(130);
    expect(new Set(records.map((r) => r.name)).size).toBe(130);
  });

  it("still has the header row when nothing matches", async () => {
    const { header, rows } = await exportCsv("?q=zzqxjv");
    expect(rows).toEqual([]);
    expect(header?.[0]).toBe("name");
  });

  it("needs a signed-in user", async () => {
    const anonymous = session(app.url);
    const page = await anonymous.get("/clients/export.csv");
    expect(page.status).toBe(302);
    expect(page.location).toMatch(/^\/login/);
  });
});
