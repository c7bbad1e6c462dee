import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";

/**
 * The foundation's promise, in a real browser: sign up, create the agency, invite two people,
 * find the invitations in the dev mailbox, accept them as the invitees, and see the app with the
 * rights each role was given. Screenshots of the key screens are kept in test-results/screenshots.
 */
const run = randomUUID().slice(0, 6);
const owner = { name: "Olivia Owens", email: `olivia-${run}@e2e.test`, password: "correct horse battery" };
const manager = { name: "Max Mercer", email: `max-${run}@e2e.test` };
const member = { name: "Mia Moreno", email: `mia-${run}@e2e.test` };
const agencyName = `Northwind ${run}`;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

test.describe.configure({ mode: "serial" });

test("an owner signs up, creates the agency and invites two people", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await shot(page, "01-login");

  await page.getByRole("link", { name: "Create your agency" }).click();
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("heading", { name: "Set up your agency" })).toBeVisible();
  await page.getByLabel("Agency name").fill(agencyName);
  await page.getByLabel("Currency").selectOption("EUR");
  await page.getByLabel("Time zone").selectOption("Europe/London");
  await shot(page, "02-onboarding");
  await page.getByRole("button", { name: "Create agency" }).click();

  await expect(page.getByRole("heading", { name: "Hello, Olivia" })).toBeVisible();
  await expect(page.getByText(`${agencyName} is ready. Invite your team next.`, { exact: true })).toBeVisible();
  await shot(page, "03-dashboard-owner");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Team" }).click();
  const inviteForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Send invitation" }) });
  for (const [person, role] of [
    [manager, "manager"],
    [member, "member"],
  ] as const) {
    await inviteForm.getByLabel("Email").fill(person.email);
    await inviteForm.getByLabel("Name (optional)").fill(person.name);
    await inviteForm.getByLabel("Role").selectOption(role);
    await inviteForm.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText(`Invitation sent to ${person.email}.`, { exact: true })).toBeVisible();
  }
  const pending = page.getByRole("list").filter({ hasText: manager.email });
  await expect(pending).toContainText(member.email);
  await shot(page, "04-team-invited");
});

test("the invitations arrive in the dev mailbox", async ({ page }) => {
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(page.getByRole("list", { name: "Emails" })).toContainText(member.email, { timeout: 1000 });
    await expect(page.getByRole("list", { name: "Emails" })).toContainText(manager.email, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("link", { name: new RegExp(`To ${member.email}`) }).click();
  await expect(page.getByRole("heading", { name: `Olivia Owens invited you to ${agencyName}` })).toBeVisible();
  await expect(page.getByText(/^From .* to /)).toContainText(member.email);
  await shot(page, "05-dev-mailbox");
});

async function acceptInvitation(browser: Browser, email: string): Promise<Page> {
  const mailbox = await browser.newPage();
  await mailbox.goto("/dev/mailbox");
  await mailbox.getByRole("link", { name: new RegExp(`To ${email}`) }).click();
  await expect(mailbox.getByText(/^From .* to /)).toContainText(email);
  const href = await mailbox
    .getByRole("list", { name: "Links in this email" })
    .getByRole("link")
    .first()
    .getAttribute("href");
  await mailbox.close();
  expect(href).toContain("/invite/");

  // A fresh browser: the invitee has never signed in.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(href!);
  await expect(page.getByRole("heading", { name: `Join ${agencyName}` })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  return page;
}

test("the member accepts from the email and gets member rights", async ({ browser }) => {
  const page = await acceptInvitation(browser, member.email);
  await expect(page.getByText("You are invited as a team member.")).toBeVisible();
  await shot(page, "06-invitation");
  await page.getByRole("button", { name: "Accept and join" }).click();

  await expect(page.getByRole("heading", { name: "Hello, Mia" })).toBeVisible();
  await expect(page.getByText(`Welcome to ${agencyName}.`, { exact: true })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Time" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Invoices" })).toHaveCount(0);
  await shot(page, "07-dashboard-member");

  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText("Only owners and managers can change these settings.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await expect(page.getByText(owner.name)).toBeVisible();
  await shot(page, "08-team-as-member");
  await page.context().close();
});

test("the manager accepts and may manage the team, but not make owners", async ({ browser }) => {
  const page = await acceptInvitation(browser, manager.email);
  await expect(page.getByText("You are invited as a manager.")).toBeVisible();
  await page.getByRole("button", { name: "Accept and join" }).click();

  await expect(page.getByRole("heading", { name: "Hello, Max" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Invoices" })).toBeVisible();
  await nav.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("button", { name: "Send invitation" })).toBeVisible();
  await expect(page.getByLabel("Role").locator("option", { hasText: "Owner" })).toHaveCount(0);
  await page.context().close();
});

test("the spent invitation link cannot be used again", async ({ browser }) => {
  const mailbox = await browser.newPage();
  await mailbox.goto("/dev/mailbox");
  await mailbox.getByRole("link", { name: new RegExp(`To ${member.email}`) }).click();
  await expect(mailbox.getByText(/^From .* to /)).toContainText(member.email);
  const href = await mailbox
    .getByRole("list", { name: "Links in this email" })
    .getByRole("link")
    .first()
    .getAttribute("href");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(href!);
  await expect(page.getByText("This invitation was already accepted.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Accept and join" })).toHaveCount(0);
  await context.close();
});

test("forms are keyboard operable and say what is wrong", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).focus();
  await page.keyboard.type(owner.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type("wrong password");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText("Email or password is incorrect.");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByRole("heading", { name: "Hello, Olivia" })).toBeVisible();
});
