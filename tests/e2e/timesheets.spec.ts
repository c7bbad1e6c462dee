import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { inviteAndAccept, signUpWithAgency } from "./helpers.ts";

/**
 * A week of time from the grid to approval: a member fills last week with the keyboard (every
 * day of it is in the past), submits it; the owner approves it on the Approvals tab; the member
 * finds the week approved and its cells locked. Screenshots go to test-results/screenshots.
 */
const run = randomUUID().slice(0, 6);
const member = { name: "Wanda Weeks", email: `wanda-${run}@e2e.test`, role: "member" as const };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

test("a member fills and submits last week, the owner approves it, and the week is locked", async ({
  page,
  browser,
}) => {
  await signUpWithAgency(page, { name: "Tara Timeowner", email: `tara-${run}@e2e.test`, agency: `Hours ${run}` });
  const wanda = await inviteAndAccept(page, browser, member);

  // A client and a project with the member on its team.
  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill("Lighthouse Labs");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Lighthouse Labs/ })).toBeVisible();
  const clientId = page.url().split("/clients/")[1]!.split(/[?#]/)[0]!;
  await page.goto(`/projects/new?client=${clientId}`);
  await page.getByLabel("Name", { exact: true }).fill("Beacon app");
  await page.getByText("Blank", { exact: true }).click();
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Beacon app", level: 1 })).toBeVisible();
  await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: "Team" }).click();
  const addToTeam = page.getByRole("form", { name: "Add to the team" });
  await addToTeam.getByLabel("Person").selectOption({ label: `${member.name} (Member)` });
  await addToTeam.getByRole("button", { name: "Add to the team" }).click();
  await expect(page.getByRole("list", { name: "Team members" })).toContainText(member.name);

  // The member: Time → last week (all of it in the past), an empty grid.
  await wanda.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Time" }).click();
  await expect(wanda.getByRole("heading", { name: "Time", level: 1 })).toBeVisible();
  await expect(wanda.getByText("No time this week")).toBeVisible();
  await wanda.getByRole("link", { name: /^Previous week/ }).click();
  await expect(wanda).toHaveURL(/\/time\?week=\d{4}-\d{2}-\d{2}/);
  const lastMonday = new URL(wanda.url()).searchParams.get("week")!;
  expect(new Date(`${lastMonday}T00:00:00Z`).getUTCDay()).toBe(1);

  await expect(wanda.getByText("No time this week")).toBeVisible();
  await shot(wanda, "59-week-empty");
  await wanda.getByLabel("Project and task").selectOption({ label: "Beacon app (no task)" });
  await wanda.getByRole("button", { name: "Add row" }).click();
  const grid = wanda.getByRole("table", { name: /^Time for the week of/ });
  const cell = (day: string) => grid.getByRole("textbox", { name: new RegExp(`^Beacon app, ${day} `) });
  // The new row's Monday takes the focus; type, Enter saves (no row below: it stays).
  await expect(cell("Monday")).toBeFocused();
  await wanda.keyboard.type("1:30");
  await wanda.keyboard.press("Enter");
  await expect(cell("Monday")).toHaveValue("1:30");
  // Arrow right to Tuesday (its text is selected), "1.5" is 1:30; Tab saves and goes on.
  await wanda.keyboard.press("ArrowRight");
  await expect(cell("Tuesday")).toBeFocused();
  await wanda.keyboard.type("1.5");
  await wanda.keyboard.press("Tab");
  await expect(cell("Wednesday")).toBeFocused();
  await expect(cell("Tuesday")).toHaveValue("1:30");
  await wanda.keyboard.type("90m");
  await wanda.keyboard.press("Tab");
  await expect(cell("Wednesday")).toHaveValue("1:30");
  // Escape puts a typed value back.
  await cell("Thursday").fill("3");
  await cell("Thursday").press("Escape");
  await expect(cell("Thursday")).toHaveValue("");
  // A rule's refusal stays at the cell: more than 12 hours in one entry.
  await cell("Friday").fill("13");
  await cell("Friday").press("Enter");
  await expect(grid.getByRole("alert")).toContainText("at most 12 hours");
  await expect(cell("Friday")).toHaveAttribute("aria-invalid", "true");
  await shot(wanda, "60-week-grid-refusal");
  await cell("Friday").focus();
  await wanda.keyboard.press("Escape");
  await expect(grid.getByRole("alert")).toHaveCount(0);
  await cell("Friday").fill("2:00");
  // (The reload below must not cut this save short.)
  const saved = wanda.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/time?index"));
  await cell("Friday").press("Enter");
  expect((await saved).status()).toBe(200);

  const totals = grid.getByRole("row", { name: /^Total/ });
  await expect(totals).toContainText("6:30");
  // What is saved is the database's: after a reload, the same.
  await wanda.reload();
  await expect(cell("Monday")).toHaveValue("1:30");
  await expect(cell("Friday")).toHaveValue("2:00");
  await expect(totals).toContainText("6:30");
  await shot(wanda, "61-week-grid");
  // On a phone the grid scrolls sideways under a sticky first column.
  await wanda.setViewportSize({ width: 390, height: 844 });
  await expect(cell("Monday")).toHaveValue("1:30");
  await shot(wanda, "61-week-grid-mobile");
  await wanda.setViewportSize({ width: 1280, height: 800 });

  await wanda.getByRole("button", { name: /^Submit the week of/ }).click();
  const confirm = wanda.getByRole("dialog");
  await expect(confirm).toContainText("6:30 in total");
  await confirm.getByRole("button", { name: "Submit week" }).click();
  await expect(wanda.getByText(/waiting for approval\. The week is read-only/)).toBeVisible();
  await expect(grid.getByRole("textbox")).toHaveCount(0);

  // The owner: Approvals shows the week waiting, with its entries.
  await page.goto("/time");
  const tabs = page.getByRole("navigation", { name: "Time sections" });
  await expect(tabs.getByRole("link", { name: /Approvals/ })).toContainText("1");
  await tabs.getByRole("link", { name: /Approvals/ }).click();
  const waiting = page.getByRole("list", { name: "Weeks waiting for approval" });
  await expect(waiting).toContainText(member.name);
  await expect(waiting).toContainText("6:30");
  await waiting.getByRole("link", { name: /Show entries/ }).click();
  await expect(waiting.getByRole("table", { name: /time for the week of/ })).toContainText("Beacon app");
  await shot(page, "62-approvals");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "62-approvals-mobile");
  await page.setViewportSize({ width: 1280, height: 800 });
  // Rejecting asks for a reason first (cancelled here).
  await waiting.getByRole("button", { name: /^Reject Wanda Weeks/ }).click();
  const reject = page.getByRole("dialog", { name: /^Reject Wanda Weeks/ });
  await expect(reject.getByLabel("Reason")).toBeFocused();
  await shot(page, "62-reject-dialog");
  await page.keyboard.press("Escape");
  await expect(reject).toBeHidden();
  await waiting.getByRole("button", { name: /^Approve Wanda Weeks/ }).click();
  await expect(page.getByText(/^The week of .* is approved\.$/)).toBeVisible();
  await expect(page.getByText("Nothing waits for approval")).toBeVisible();
  await page.getByRole("link", { name: "Decided" }).click();
  await expect(page.getByRole("list", { name: "Decided weeks" })).toContainText("by Tara Timeowner");

  // The owner looks at the member's week: read-only. The export form is one click away.
  await page.goto(`/time?week=${lastMonday}`);
  await page.getByLabel("Whose week", { exact: true }).selectOption({ label: member.name });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText(/You are looking at Wanda Weeks’s week/)).toBeVisible();
  await expect(page.getByRole("table", { name: /^Time for the week of/ }).getByRole("textbox")).toHaveCount(0);
  await page.getByText("Export CSV").click();
  const exportForm = page.getByRole("form", { name: "Export time as CSV" });
  await expect(exportForm.getByLabel("Person")).toBeVisible();
  await shot(page, "64-owner-views-week-export");
  await exportForm.getByLabel("From").fill(lastMonday);
  await exportForm.getByLabel("Person").selectOption({ label: member.name });
  const download = page.waitForEvent("download");
  await exportForm.getByRole("button", { name: "Download CSV" }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  expect(readFileSync(await csv.path(), "utf8")).toContain("Beacon app");

  // The member: the week is approved, and its cells are locked.
  await wanda.reload();
  await expect(wanda.getByText(/^Approved by Tara Timeowner/)).toBeVisible();
  await expect(grid.getByRole("textbox")).toHaveCount(0);
  await expect(grid.getByRole("row", { name: /^Beacon app/ })).toContainText("1:30");
  await expect(wanda.getByRole("button", { name: /^Submit the week of/ })).toHaveCount(0);
  await expect(wanda.getByRole("heading", { name: "Your recent timesheets" })).toBeVisible();
  await shot(wanda, "63-week-approved");
  await wanda.setViewportSize({ width: 390, height: 844 });
  await shot(wanda, "63-week-approved-mobile");
  await wanda.getByText("Export CSV").click();
  await expect(wanda.getByRole("form", { name: "Export time as CSV" }).getByLabel("From")).toBeInViewport();
  await shot(wanda, "65-export-mobile");
  await wanda.context().close();
});
