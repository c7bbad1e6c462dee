import { describe, expect, it } from "vitest";
import { readSignedCookie, session, visibleText, type BrowserSession } from "../setup/browser-like.ts";
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
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { useTestServer } from "../setup/test-server.ts";

trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

interface AuthCookie {
  access_token: string;
  refresh_token: string;
  portal: boolean;
}

async function signedIn(email: string, password = PASSWORD): Promise<BrowserSession> {
  const browser = session(app.url);
  const page = await browser.post("/login", { intent: "password", email, password, next: "" });
  if (page.status !== 302) throw new Error(`sign-in as ${email} failed: ${page.status}`);
  return browser;
}

async function inviteThroughTeamPage(owner: SignedUp, email: string, role = "member") {
  const browser = await signedIn(owner.email);
  const page = await browser.post("/settings/team", { intent: "invite", email, name: "", role });
  return { browser, page };
}

async function sessionIdIn(browser: BrowserSession): Promise<string> {
  const auth = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
  return JSON.parse(Buffer.from(auth!.access_token.split(".")[1]!, "base64url").toString()).session_id;
}

describe("staff invitations", () => {
  it("goes from the Team page form to a signed-in member of the agency", async () => {
    const owner = await signUp(request, "inv-owner");
    const email = uniqueEmail("inv-new");
    const { browser: ownerBrowser, page } = await inviteThroughTeamPage(owner, email);
    expect(page.status).toBe(302);
    expect(page.location).toBe("/settings/team");
    expect(await readSignedCookie("crm_toast", ownerBrowser.cookie("crm_toast"))).toMatchObject({
      kind: "success",
      message: `Invitation sent to ${email}.`,
    });
    const team = await ownerBrowser.get("/settings/team");
    expect(team.status).toBe(200);
    expect(visibleText(team.html)).toContain(`${email} · member`);
    // The toast is shown once: that response clears it.
    expect(team.cookies.crm_toast).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);

    const token = await invitationToken(email);
    const invitee = session(app.url);
    const preview = await invitee.get(`/invite/${token}`);
    expect(preview.status).toBe(200);
    const text = visibleText(preview.html);
    expect(text).toContain(`Join ${owner.agency.name}`);
    expect(text).toContain("You are invited as a team member.");
    expect(text).toContain(`The invitation is for ${email}.`);
    expect(preview.cookies.crm_auth).toBeUndefined();

    const accepted = await invitee.post(`/invite/${token}`);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/");
    expect(accepted.cookies.crm_auth).toMatch(/HttpOnly/i);
    const dashboard = await invitee.get("/");
    expect(dashboard.status).toBe(200);
    const home = visibleText(dashboard.html);
    expect(home).toContain(`Here is what is happening at ${owner.agency.name}.`);
    expect(home).toMatch(/Your role member/);

    const [account] = await adminSql()`
      select u.encrypted_password, u.email_confirmed_at, m.role, m.agency_id
      from auth.users u join public.agency_members m on m.user_id = u.id
      where u.email = ${email}
    `;
    expect(account).toMatchObject({ encrypted_password: null, role: "member", agency_id: owner.agency.id });
    expect(account!.email_confirmed_at).toBeInstanceOf(Date);

    // The token is spent.
    const reopened = await session(app.url).get(`/invite/${token}`);
    expect(reopened.status).toBe(200);
    expect(visibleText(reopened.html)).toContain("This invitation was already accepted.");
    const replay = session(app.url);
    const again = await replay.post(`/invite/${token}`);
    expect(again.status).toBe(200);
    expect(visibleText(again.html)).toContain("This invitation was already accepted.");
    expect(again.html).toContain("This invitation can no longer be used.");
    expect(again.cookies.crm_auth).toBeUndefined();
  });

  it("signs out whoever is signed in and continues as the invitee", async () => {
    const owner = await signUp(request, "inv-switch");
    const email = uniqueEmail("inv-switched");
    const { browser } = await inviteThroughTeamPage(owner, email);
    const ownerSession = await sessionIdIn(browser);
    const token = await invitationToken(email);

    const preview = await browser.get(`/invite/${token}`);
    expect(visibleText(preview.html)).toContain(
      `You are signed in as ${owner.email}. Accepting signs you out and continues as ${email}.`,
    );

    const accepted = await browser.post(`/invite/${token}`);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/");
    const [owners] = await adminSql()`select revoked_at from local_auth.sessions where id = ${ownerSession}`;
    expect(owners!.revoked_at).toBeInstanceOf(Date);
    const auth = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
    const claims = JSON.parse(Buffer.from(auth!.access_token.split(".")[1]!, "base64url").toString());
    expect(claims.email).toBe(email);

    const dashboard = await browser.get("/");
    expect(dashboard.status).toBe(200);
    const home = visibleText(dashboard.html);
    expect(home).toContain(`Here is what is happening at ${owner.agency.name}.`);
    expect(home).toMatch(/Your role member/);
  });

  it("answers an unknown token with a 404 page", async () => {
    const page = await session(app.url).get("/invite/garbage");
    expect(page.status).toBe(404);
    expect(visibleText(page.html)).toContain("This invitation link is not valid.");
  });

  it("says so when the invitation has expired, and will not accept it", async () => {
    const owner = await signUp(request, "inv-exp");
    const email = uniqueEmail("inv-expired");
    expect((await inviteThroughTeamPage(owner, email)).page.status).toBe(302);
    await adminSql()`update public.invitations set expires_at = now() - interval '1 minute' where email = ${email}`;
    const token = await invitationToken(email);
    const browser = session(app.url);
    const page = await browser.get(`/invite/${token}`);
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain("This invitation has expired.");
    const post = await browser.post(`/invite/${token}`);
    expect(post.cookies.crm_auth).toBeUndefined();
    expect(await adminSql()`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  it("refuses a member who posts an invitation, with a 403 and the reason, and writes nothing", async () => {
    const owner = await signUp(request, "inv-perm");
    const member = await addMember(request, owner, "member");
    const browser = await signedIn(member.email);
    const email = uniqueEmail("inv-by-member");
    const page = await browser.post("/settings/team", { intent: "invite", email, name: "", role: "member" });
    expect(page.status).toBe(403);
    expect(visibleText(page.html)).toContain("Only an owner or manager of this agency can do that");
    expect(await adminSql()`select 1 from public.invitations where email = ${email}`).toHaveLength(0);
    expect(await adminSql()`select 1 from private.email_outbox where to_email = ${email}`).toHaveLength(0);
  });

  it("shows the rule's message when the person is already a member", async () => {
    const owner = await signUp(request, "inv-dup");
    const member = await addMember(request, owner, "member");
    const { page } = await inviteThroughTeamPage(owner, member.email);
    expect(page.status).toBe(422);
    expect(visibleText(page.html)).toContain("This person is already a member of the agency");
  });
});

describe("portal invitations", () => {
  async function clientContact(owner: SignedUp) {
    const email = uniqueEmail("contact");
    const [client] = await adminSql()<{ id: string }[]>`
      insert into public.clients (agency_id, name) values (${owner.agency.id}, ${`Client of ${owner.email}`}) returning id
    `;
    const [contact] = await adminSql()<{ id: string }[]>`
      insert into public.client_contacts (agency_id, client_id, name, email)
      values (${owner.agency.id}, ${client!.id}, 'Cora Contact', ${email}) returning id
    `;
    return { email, clientId: client!.id, contactId: contact!.id };
  }

  /** Runs a public function as the owner, the way PostgREST would. */
  async function asOwner<T>(owner: SignedUp, run: (tx: ReturnType<typeof adminSql>) => Promise<T>): Promise<T> {
    return adminSql().begin(async (tx) => {
      const claims = JSON.stringify({ sub: owner.user.id, email: owner.email, role: "authenticated" });
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
      return run(tx as unknown as ReturnType<typeof adminSql>);
    }) as Promise<T>;
  }

  it("lets a contact accept the invitation and lands them in the portal", async () => {
    const owner = await signUp(request, "portal-owner");
    const contact = await clientContact(owner);
    await asOwner(owner, (tx) => tx`select public.invite_portal_contact(${contact.contactId})`);
    const token = await invitationToken(contact.email);

    const browser = session(app.url);
    const preview = await browser.get(`/invite/${token}`);
    expect(preview.status).toBe(200);
    expect(visibleText(preview.html)).toContain(`${owner.agency.name} client portal`);

    const accepted = await browser.post(`/invite/${token}`);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/portal");
    const auth = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
    expect(auth?.portal).toBe(true);
    expect(browser.cookie("crm_activity")).toBeDefined();
    const [row] =
      await adminSql()`select user_id, portal_access_granted_at from public.client_contacts where id = ${contact.contactId}`;
    expect(row!.portal_access_granted_at).toBeInstanceOf(Date);

    const portal = await browser.get("/portal");
    expect(portal.status).toBe(200);
    const text = visibleText(portal.html);
    expect(text).toContain(owner.agency.name);
    expect(text).toContain(`You are signed in for Client of ${owner.email}.`);
  });

  it("keeps a portal-only person out of the staff app, and out of the portal once access is revoked", async () => {
    // Arranged without the invitation page (see the test above): the contact's account accepts in
    // SQL, then signs in with an emailed link from the portal's sign-in page.
    const owner = await signUp(request, "portal-revoke");
    const contact = await clientContact(owner);
    await asOwner(owner, (tx) => tx`select public.invite_portal_contact(${contact.contactId})`);
    const token = await invitationToken(contact.email);
    const [user] = await adminSql()<{ id: string }[]>`
      insert into auth.users (email, email_confirmed_at, raw_user_meta_data) values (${contact.email}, now(), '{"name":"Cora Contact"}')
      returning id
    `;
    await adminSql().begin(async (tx) => {
      const claims = JSON.stringify({ sub: user!.id, email: contact.email, role: "authenticated" });
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
      await tx`select * from public.accept_invitation(${token})`;
    });

    const browser = session(app.url);
    const asked = await browser.post("/portal/login", { email: contact.email, next: "/portal" });
    expect(asked.status).toBe(200);
    const [mail] = await adminSql()<{ path: string }[]>`
      select data ->> 'link_path' as path from private.email_outbox
      where to_email = ${contact.email} and template = 'magic_link' order by created_at desc limit 1
    `;
    const link = new URL(mail!.path, "http://x").searchParams;
    const signedIn = await browser.post("/auth/magic", { token: link.get("token")!, next: link.get("next")! });
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/portal");
    expect((await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth")))?.portal).toBe(true);

    const portal = await browser.get("/portal");
    expect(portal.status).toBe(200);
    expect(visibleText(portal.html)).toContain(owner.agency.name);

    const staff = await browser.get("/");
    expect(staff.status).toBe(302);
    expect(staff.location).toBe("/portal");

    await asOwner(owner, (tx) => tx`select public.revoke_portal_access(${contact.contactId})`);
    const revoked = await browser.get("/portal");
    expect(revoked.status).toBe(403);
    expect(visibleText(revoked.html)).toContain("You have no client portal access.");
  });
});
