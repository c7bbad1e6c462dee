import { randomUUID } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signUpWithAgency } from "./helpers.ts";

/**
 * The Gantt: a manager dates a new project's tasks in the table, drags a bar with the mouse and
 * stretches it with the keyboard; the dates survive a reload and the table shows the same ones.
 * A due date before the start is refused by the database and the row says why.
 */
const run = randomUUID().slice(0, 6);
const DAY_WIDTH = 28; // week zoom

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Calendar days from today (UTC), as the date inputs want them: "2026-12-05". */
function day(offset: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

async function signUpWithProject(page: Page): Promise<string> {
  await signUpWithAgency(page, { name: "Greta Gantt", email: `greta-${run}@e2e.test`, agency: `Timeline ${run}` });

  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill("Globex");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Globex/ })).toBeVisible();

  // The default template gives the project its tasks (Kick-off meeting, Design, Build, …).
  await page.goto("/projects/new");
  await page.getByLabel("Client").selectOption({ label: "Globex" });
  await page.getByLabel("Name", { exact: true }).fill("Globex relaunch");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Globex relaunch" })).toBeVisible();
  return page.url().split("/projects/")[1]!.split(/[/?]/)[0]!;
}

async function setDates(page: Page, task: string, start: string, due: string) {
  await page.getByLabel(`Start of ${task}`).fill(start);
  await page.getByLabel(`Due date of ${task}`).fill(due);
  await page.getByRole("button", { name: `Save dates of ${task}` }).click();
}

async function expectDates(page: Page, task: string, start: string, due: string) {
  await expect(page.getByLabel(`Start of ${task}`)).toHaveValue(start);
  await expect(page.getByLabel(`Due date of ${task}`)).toHaveValue(due);
}

function bar(page: Page, task: string): Locator {
  return page.getByRole("region", { name: "Gantt chart" }).getByRole("button", { name: new RegExp(`^${task}, `) });
}

test("a manager plans a project on the Gantt with the mouse, the keyboard and the table", async ({ page }) => {
  const projectId = await signUpWithProject(page);
  const gantt = `/projects/${projectId}/gantt`;

  // Dates through the table (the fallback that also works without JavaScript).
  await page.goto(`${gantt}?view=table`);
  await setDates(page, "Kick-off meeting", day(1), day(2));
  await setDates(page, "Design", day(3), day(7));
  await expectDates(page, "Design", day(3), day(7));
  await expect(page.getByRole("row", { name: /^Design\b/ })).toContainText("5 days");

  // The database refuses a due date before the start: the row says why and keeps the saved dates.
  await setDates(page, "Build", day(10), day(8));
  await expect(
    page.getByRole("alert").filter({ hasText: "The due date cannot be before the start date." }).first(),
  ).toBeVisible();
  await expectDates(page, "Build", "", "");
  await shot(page, "40-gantt-table-refused");

  // The chart: the bars are there, with a link for each task in the names column.
  await page.getByRole("link", { name: "Chart", exact: true }).click();
  await expect(page).toHaveURL(/view=chart/);
  const design = bar(page, "Design");
  await expect(design).toBeVisible();
  await expect(page.getByRole("list", { name: "Scheduled tasks and milestones" })).toContainText("Kick-off meeting");
  await shot(page, "41-gantt-chart");

  // Mouse: drag Design three days later. Both dates move.
  await design.scrollIntoViewIfNeeded();
  const box = (await design.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 3 * DAY_WIDTH, box.y + box.height / 2, { steps: 12 });
  await page.mouse.up();
  await expect(page.getByRole("status").filter({ hasText: "Design saved." })).toBeAttached();
  await expect(page).toHaveURL(new RegExp(`${gantt}\\?view=chart$`)); // a drag is not a click: no navigation
  await page.reload();
  await page.getByRole("link", { name: "Table", exact: true }).click();
  await expectDates(page, "Design", day(6), day(10));

  // Keyboard: Shift+→ twice stretches the due date by two days; the change is announced and saved.
  await page.getByRole("link", { name: "Chart", exact: true }).click();
  await bar(page, "Design").focus();
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Shift+ArrowRight");
  await expect(bar(page, "Design")).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "Design saved." })).toBeAttached();
  await shot(page, "42-gantt-keyboard-resize");
  await page.reload();
  await expect(bar(page, "Design")).toHaveAccessibleName(/^Design, .+, To do\./);

  // Month zoom is kept in the URL.
  await page.getByRole("link", { name: "Month" }).click();
  await expect(page).toHaveURL(/zoom=month/);
  await expect(bar(page, "Design")).toBeVisible();
  await shot(page, "43-gantt-month");

  // The table shows the same dates as the chart.
  await page.goto(`${gantt}?view=table`);
  await expectDates(page, "Design", day(6), day(12));
  await expectDates(page, "Kick-off meeting", day(1), day(2));
  await expect(page.getByRole("row", { name: /^Design\b/ })).toContainText("7 days");
  await shot(page, "44-gantt-table");

  // Narrow screens open on the table; the chart is one tap away.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(gantt);
  await expect(page.getByRole("table", { name: "Tasks and milestones with their dates" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Gantt chart" })).toBeHidden();
  await shot(page, "45-gantt-mobile-table");
  await page.getByRole("link", { name: "Chart", exact: true }).click();
  await expect(bar(page, "Design")).toBeVisible();
  await shot(page, "46-gantt-mobile-chart");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Enter on a bar opens its task.
  await page.goto(gantt);
  await bar(page, "Design").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/tasks/[0-9a-f-]{36}$`));
});
