import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { inviteAndAccept, signUpWithAgency as signUp } from "./helpers.ts";

/**
 * A project run from the projects pages: an owner starts one from the "Standard project" template,
 * gives it a milestone and carries it to reached, puts an invited member on the team, sets a
 * budget and reads the gauge. Screenshots of the key screens go to test-results/screenshots.
 */
const run = randomUUID().slice(0, 6);
const member = { name: "Tomas Teammate", email: `tomas-${run}@e2e.test` };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

function signUpWithAgency(page: Page) {
  return signUp(page, {
    name: "Petra Projects",
    email: `petra-${run}@e2e.test`,
    agency: `Plans ${run}`,
    currency: "EUR",
  });
}

/** The invitation flow of the onboarding spec: invite, open the email, accept in a fresh browser. */
async function inviteMember(page: Page, browser: Browser) {
  const invitee = await inviteAndAccept(page, browser, { ...member, role: "member" });
  await invitee.context().close();
}

test("an owner runs a project: template, milestone, team and budget", async ({ page, browser }) => {
  await signUpWithAgency(page);
  await inviteMember(page, browser);

  // No projects yet: the empty state offers to start one.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await expect(page.getByText("No projects yet")).toBeVisible();

  // A client to work for.
  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill("Initech");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Initech/ })).toBeVisible();

  // The form says what is missing, next to the field, and keeps what was typed.
  await page.goto("/projects");
  await page.getByRole("link", { name: "Start a project" }).click();
  await page.getByLabel("Name").fill("Intranet rebuild");
  await page.getByLabel("Start date (optional)").fill("2027-02-01");
  await page.getByLabel("Deadline (optional)").fill("2027-01-15");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByLabel("Client")).toHaveAccessibleDescription(/Choose a client\./);
  await expect(page.getByLabel("Deadline (optional)")).toHaveAccessibleDescription(/before the start date/);
  await expect(page.getByLabel("Name")).toHaveValue("Intranet rebuild");
  await shot(page, "20-new-project-errors");

  await page.getByLabel("Client").selectOption({ label: "Initech" });
  await page.getByLabel("Deadline (optional)").fill("2027-06-30");
  await page.getByRole("radio", { name: "Standard project (default)" }).check();
  await page.getByRole("button", { name: "Create project" }).click();

  // The overview counts the template's six tasks.
  await expect(page.getByRole("heading", { name: "Intranet rebuild" })).toBeVisible();
  await expect(page.getByText("6 tasks, 0 done")).toBeVisible();
  await expect(page.getByText("Kick-off meeting")).toBeVisible();
  await expect(page.getByText("No budget is set")).toBeVisible();
  const projectUrl = page.url();

  // A milestone, carried to reached; the client's timeline (and the overview) record it.
  const tabs = page.getByRole("navigation", { name: "Project sections" });
  await tabs.getByRole("link", { name: "Milestones" }).click();
  await expect(page.getByText("No milestones yet")).toBeVisible();
  const addMilestone = page.getByRole("form", { name: "Add a milestone" });
  await addMilestone.getByLabel("Title").fill("Prototype signed off");
  await addMilestone.getByLabel("Due date (optional)").fill("2027-03-15");
  await addMilestone.getByLabel("Amount (optional)").fill("4500");
  await addMilestone.getByRole("button", { name: "Add milestone" }).click();
  const milestones = page.getByRole("list", { name: "Milestones" });
  await expect(milestones).toContainText("Prototype signed off");
  await expect(milestones).toContainText("€4,500.00");
  await expect(milestones).toContainText("Pending");
  await milestones.getByRole("button", { name: "Mark reached" }).click();
  await expect(milestones).toContainText("Reached");
  await expect(milestones.getByRole("button", { name: "Approve Prototype signed off" })).toBeVisible();
  await shot(page, "21-milestones");

  // The invited member joins the team, with a project rate.
  await tabs.getByRole("link", { name: "Team" }).click();
  const team = page.getByRole("list", { name: "Team members" });
  await expect(team).toContainText("Petra Projects");
  await expect(team).not.toContainText(member.name);
  const addMember = page.getByRole("form", { name: "Add to the team" });
  await addMember.getByLabel("Person").selectOption({ label: `${member.name} (Member)` });
  await addMember.getByLabel("Project rate (optional)").fill("85");
  await addMember.getByRole("button", { name: "Add to the team" }).click();
  await expect(team).toContainText(member.name);
  await expect(team).toContainText("€85.00 / h");
  await shot(page, "22-team");

  // A budget in money and hours: the overview shows both gauges, at 0 % with no time logged.
  await page.getByRole("link", { name: "Edit project" }).click();
  await page.getByLabel("Budget (optional)").fill("20000");
  await page.getByLabel("Budgeted hours (optional)").fill("160");
  await page.getByLabel("Status").selectOption("active");
  await page.getByRole("button", { name: "Save project" }).click();
  await expect(page).toHaveURL(projectUrl);
  await expect(page.getByRole("img", { name: /^Money: 0 % used, €0\.00 of €20,000\.00/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Hours: 0 % used, 0 h of 160 h/ })).toBeVisible();
  await expect(page.getByText("€20,000.00 remaining")).toBeVisible();
  await expect(page.getByRole("list", { name: "Upcoming milestones" })).toContainText("Prototype signed off");
  await expect(page.getByRole("list", { name: "Recent activity" })).toContainText(
    'Milestone "Prototype signed off" reached',
  );
  await shot(page, "23-project-overview");

  // The list: filters live in the URL; the project shows with its budget used.
  await page.goto("/projects");
  await page.getByLabel("Status").selectOption("active");
  await expect(page).toHaveURL(/status=active/);
  const row = page.getByRole("row", { name: /Intranet rebuild/ });
  await expect(row).toContainText("Initech");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("0 %");
  await page.getByLabel("Status").selectOption("completed");
  await expect(page.getByText("No projects match")).toBeVisible();
  await shot(page, "24-projects-filtered-empty");
});
