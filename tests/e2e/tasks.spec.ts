import { randomUUID } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signUpWithAgency as signUp } from "./helpers.ts";

/**
 * A manager runs a project's board: adds tasks, drags one to In progress with the mouse, moves
 * others with the keyboard, and finds the order kept after a reload; a dependency blocks a start
 * until "Start anyway" with a reason; a cycle is refused on the field; "My tasks" lists the work.
 */
const run = randomUUID().slice(0, 6);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

function signUpWithAgency(page: Page) {
  return signUp(page, { name: "Tessa Tasks", email: `tessa-${run}@e2e.test`, agency: `Boardwork ${run}` });
}

/** The card titles of a column, top to bottom. */
function titlesIn(column: Locator) {
  return column.locator(":scope > li article h3").allInnerTexts();
}

async function quickAdd(page: Page, column: string, title: string, due?: string) {
  const section = page.getByRole("region", { name: column });
  const summary = section.locator("summary", { hasText: "Add a task" });
  if (!(await section.getByLabel("Title").isVisible())) await summary.click();
  await section.getByLabel("Title").fill(title);
  if (due) await section.getByLabel("Due").fill(due);
  await section.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("list", { name: `Tasks in ${column}` })).toContainText(title);
}

async function mouseDrag(page: Page, handle: Locator, target: Locator) {
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 20 });
  await page.mouse.up();
}

test("a manager moves tasks on the board, the order persists, and a blocked start needs a reason", async ({ page }) => {
  await signUpWithAgency(page);

  // A client and a blank project, through the UI.
  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill("Harbor Bakery");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Harbor Bakery/ })).toBeVisible();
  const clientId = page.url().split("/clients/")[1]!.split(/[?#]/)[0]!;
  await page.goto(`/projects/new?client=${clientId}`);
  await page.getByLabel("Name", { exact: true }).fill("Shop relaunch");
  // The template card's label covers its radio (a click anywhere on the card picks it).
  await page.getByText("Blank", { exact: true }).click();
  await expect(page.getByRole("radio", { name: "Blank" })).toBeChecked();
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Shop relaunch", level: 1 })).toBeVisible();
  await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: "Tasks" }).click();

  const todo = page.getByRole("list", { name: "Tasks in To do" });
  const inProgress = page.getByRole("list", { name: "Tasks in In progress" });
  await expect(todo).toContainText("No tasks here");

  // Three tasks from the quick add; one is overdue.
  await quickAdd(page, "To do", "Design mockups");
  await quickAdd(page, "To do", "Build pages");
  await quickAdd(page, "To do", "Write copy", "2020-01-31");
  expect(await titlesIn(todo)).toEqual(["Design mockups", "Build pages", "Write copy"]);
  await expect(todo.getByRole("article", { name: "Write copy" })).toContainText("(overdue)");
  await shot(page, "30-task-board");

  // Mouse: "Design mockups" into In progress.
  await mouseDrag(page, page.getByRole("button", { name: "Drag Design mockups" }), inProgress);
  await expect(inProgress).toContainText("Design mockups");
  await expect(todo).not.toContainText("Design mockups");

  // Keyboard: "Write copy" up above "Build pages", announced with its place.
  const live = page.locator("[id^=DndLiveRegion]");
  await page.getByRole("button", { name: "Drag Write copy" }).focus();
  await page.keyboard.press("Space");
  await expect(live).toContainText("Picked up Write copy. To do, position 2 of 2.");
  await page.keyboard.press("ArrowUp");
  await expect(live).toContainText("Write copy: To do, position 1 of 2.");
  await page.keyboard.press("Space");
  await expect(live).toContainText("Write copy dropped in To do, position 1 of 2.");
  await expect.poll(() => titlesIn(todo)).toEqual(["Write copy", "Build pages"]);

  // The order is the database's, not only the page's.
  await page.reload();
  expect(await titlesIn(todo)).toEqual(["Write copy", "Build pages"]);
  expect(await titlesIn(inProgress)).toEqual(["Design mockups"]);

  // "Build pages" waits for "Design mockups" (set on its page, which is a URL of its own).
  await todo.getByRole("link", { name: "Build pages" }).click();
  const dialog = page.getByRole("dialog", { name: "Build pages" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Add a task it waits for").selectOption({ label: "Design mockups" });
  await dialog.getByRole("button", { name: "Add dependency" }).click();
  await expect(dialog.getByRole("list", { name: "Waits for" })).toContainText("Design mockups");
  const buildUrl = page.url();

  // The other way round would be a cycle: the database's message shows on the field.
  await dialog.getByRole("list", { name: "Waits for" }).getByRole("link", { name: "Design mockups" }).click();
  const design = page.getByRole("dialog", { name: "Design mockups" });
  await design.getByLabel("Add a task it waits for").selectOption({ label: "Build pages" });
  await design.getByRole("button", { name: "Add dependency" }).click();
  await expect(design.getByText(/would make a cycle/)).toBeVisible();
  await shot(page, "31-task-dialog-cycle");
  await page.keyboard.press("Escape");
  await expect(design).toBeHidden();
  await expect(todo.getByRole("article", { name: "Build pages" })).toContainText("Blocked");

  // Keyboard: carry "Build pages" to In progress: refused, it snaps back, "Start anyway" is offered.
  await page.getByRole("button", { name: "Drag Build pages" }).focus();
  await page.keyboard.press("Space");
  await expect(live).toContainText("Picked up Build pages.");
  await page.keyboard.press("ArrowRight");
  await expect(live).toContainText(/Build pages: In progress, position \d of 2\./);
  await page.keyboard.press("Space");
  const override = page.getByRole("dialog", { name: "Blocked by dependencies" });
  await expect(override).toBeVisible();
  await expect(override).toContainText("Design mockups");
  // Behind the modal (hidden from the accessibility tree) the card is back in To do.
  await expect(page.locator("ul[aria-label='Tasks in To do']")).toContainText("Build pages");
  await override.getByRole("button", { name: "Start anyway" }).click();
  await expect(override.getByRole("alert")).toContainText("Say why");
  await override.getByLabel("Reason for starting anyway").fill("The layout is agreed; only colours are open.");
  await shot(page, "32-start-anyway");
  // Reload only once the server has answered, or the reload could race the save.
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/tasks"));
  await override.getByRole("button", { name: "Start anyway" }).click();
  await saved;
  await expect(override).toBeHidden();
  await expect(inProgress).toContainText("Build pages");
  await page.reload();
  await expect(inProgress.getByRole("article", { name: "Build pages" })).toContainText("Started anyway");
  expect(await titlesIn(todo)).toEqual(["Write copy"]);

  // The task page opens straight from its URL.
  await page.goto(buildUrl);
  await expect(page.getByRole("dialog", { name: "Build pages" })).toContainText("In progress");

  // My tasks: assign "Write copy" to me; it shows as overdue.
  await page.goto(page.url().replace(/\/tasks\/.*$/, "/tasks"));
  await todo.getByRole("link", { name: "Write copy" }).click();
  const copy = page.getByRole("dialog", { name: "Write copy" });
  await copy.getByText("Edit details").click();
  await copy.getByLabel("Assignee").selectOption({ label: "Tessa Tasks" });
  await copy.getByRole("button", { name: "Save changes" }).click();
  await expect(copy).toContainText("Assigned to Tessa Tasks");
  await page.keyboard.press("Escape");
  await expect(copy).toBeHidden();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My tasks" }).click();
  const overdue = page.getByRole("region", { name: /Overdue/ });
  await expect(overdue).toContainText("Write copy");
  await expect(overdue).toContainText("Shop relaunch");
  await shot(page, "33-my-tasks");
  await overdue.getByLabel("Status of Write copy").selectOption("review");
  await expect(page.getByText("“Write copy”: Review.", { exact: true })).toBeVisible();
  await page.reload();
  await expect(overdue.getByLabel("Status of Write copy")).toHaveValue("review");

  // The same screens on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "34-my-tasks-mobile");
  await page.goto(buildUrl.replace(/\/tasks\/.*$/, "/tasks"));
  await expect(inProgress).toContainText("Build pages");
  await shot(page, "35-task-board-mobile");
  await page.goto(buildUrl);
  await expect(page.getByRole("dialog", { name: "Build pages" })).toBeVisible();
  await shot(page, "36-task-dialog-mobile");
});
