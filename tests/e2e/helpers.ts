import { expect, type Browser, type Page } from "@playwright/test";

/** A new owner: signs up and creates an agency, landing on the dashboard that greets them. */
export async function signUpWithAgency(
  page: Page,
  owner: { name: string; email: string; agency: string; currency?: string },
): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Agency name").fill(owner.agency);
  if (owner.currency) await page.getByLabel("Currency").selectOption(owner.currency);
  await page.getByRole("button", { name: "Create agency" }).click();
  await expect(page.getByRole("heading", { name: `Hello, ${owner.name.split(" ")[0]}` })).toBeVisible();
}

/**
 * The owner (on `page`) invites a person with a role; the invitation is opened from the dev
 * mailbox and accepted in a fresh browser context, which stays signed in as the invitee.
 */
export async function inviteAndAccept(
  page: Page,
  browser: Browser,
  person: { name: string; email: string; role: "manager" | "member" },
): Promise<Page> {
  await page.goto("/settings/team");
  const inviteForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Send invitation" }) });
  await inviteForm.getByLabel("Email").fill(person.email);
  await inviteForm.getByLabel("Name (optional)").fill(person.name);
  await inviteForm.getByLabel("Role").selectOption(person.role);
  await inviteForm.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${person.email}.`, { exact: true })).toBeVisible();

  const mailbox = await browser.newPage();
  await expect(async () => {
    await mailbox.goto("/dev/mailbox");
    await expect(mailbox.getByRole("link", { name: new RegExp(`To ${person.email}`) })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await mailbox.getByRole("link", { name: new RegExp(`To ${person.email}`) }).click();
  const href = await mailbox
    .getByRole("list", { name: "Links in this email" })
    .getByRole("link")
    .first()
    .getAttribute("href");
  await mailbox.close();

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(href!);
  await invitee.getByRole("button", { name: "Accept and join" }).click();
  await expect(invitee.getByRole("heading", { name: `Hello, ${person.name.split(" ")[0]}` })).toBeVisible();
  return invitee;
}

/**
 * A client, a project of it at €100 an hour (the owner on its team) and two hours logged
 * yesterday in the day view: the starting point of the invoicing flows. Returns the project's URL.
 */
export async function projectWithYesterdaysTime(
  page: Page,
  { client, project, description }: { client: string; project: string; description: string },
): Promise<string> {
  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill(client);
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(client) })).toBeVisible();
  const clientId = page.url().split("/clients/")[1]!.split(/[?#]/)[0]!;
  await page.goto(`/projects/new?client=${clientId}`);
  await page.getByLabel("Name", { exact: true }).fill(project);
  await page.getByLabel("Project hourly rate (optional)").fill("100");
  await page.getByText("Blank", { exact: true }).click();
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: project, level: 1 })).toBeVisible();
  const projectUrl = page.url();

  await page.goto("/time/day");
  await page.getByRole("link", { name: "Previous day", exact: true }).click();
  await expect(page).toHaveURL(/date=\d{4}-\d{2}-\d{2}/);
  const add = page.getByRole("form", { name: "Log time" });
  await add.getByLabel("Project").selectOption({ label: `${project} (${client})` });
  await add.getByLabel("Description (optional)").fill(description);
  await add.getByLabel("Start", { exact: true }).fill("09:00");
  await add.getByLabel("End", { exact: true }).fill("11:00");
  await add.getByRole("button", { name: "Add entry" }).click();
  await expect(page.getByText(`Logged 2:00 on ${project}.`, { exact: true })).toBeVisible();
  return projectUrl;
}
