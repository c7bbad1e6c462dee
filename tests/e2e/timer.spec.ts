import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signUpWithAgency as signUp } from "./helpers.ts";

/**
 * Time from the header and the day view: start the timer, reload (it still runs, with its elapsed
 * time), stop it and find the entry on the day; log an entry by hand, see an overlapping one
 * refused next to its field with a link to the entry in the way, edit an entry in its dialog; a
 * timer past 12 hours warns and stops only at a given end; and the project's hours gauge moves once
 * time is logged. The person works in Asia/Tokyo (UTC+9, no DST): every time typed or shown is
 * that zone's wall clock. Screenshots at desktop and phone widths.
 */
const run = randomUUID().slice(0, 6);
const ZONE = "Asia/Tokyo";

/** An instant as an <input type="datetime-local"> value in ZONE. */
function zoneInput(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: ZONE,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

async function shot(page: Page, name: string) {
  // The timer bar sticks to the top on wide screens: a full-page shot is taken from the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** The elapsed time the header shows, in seconds. */
async function elapsedSeconds(page: Page): Promise<number> {
  const text = await page.getByRole("region", { name: "Timer" }).getByRole("timer").innerText();
  const [h, m, s] = text.trim().split(":").map(Number);
  return h! * 3600 + m! * 60 + s!;
}

test("the timer runs across reloads, stops into the day, and manual entries obey the rules", async ({ page }) => {
  await signUp(page, { name: "Tilda Timer", email: `tilda-${run}@e2e.test`, agency: `Clockwork ${run}` });
  await page.goto("/settings/profile");
  await page.getByLabel("Time zone").selectOption(ZONE);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.", { exact: true })).toBeVisible();

  // A client and a project with an hours budget; its creator manages it and is on its team.
  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill("Harbor Bakery");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Harbor Bakery/ })).toBeVisible();
  const clientId = page.url().split("/clients/")[1]!.split(/[?#]/)[0]!;
  await page.goto(`/projects/new?client=${clientId}`);
  await page.getByLabel("Name", { exact: true }).fill("Shop relaunch");
  await page.getByLabel("Budgeted hours (optional)").fill("10");
  await page.getByText("Blank", { exact: true }).click();
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Shop relaunch", level: 1 })).toBeVisible();
  const projectUrl = page.url();
  await expect(page.getByRole("img", { name: /^Hours: 0 % used, 0 h of 10 h/ })).toBeVisible();

  // Start the timer from the header.
  const bar = page.getByRole("region", { name: "Timer" });
  await expect(bar).toContainText("No timer running.");
  await bar.getByRole("button", { name: "Start timer" }).click();
  const startDialog = page.getByRole("dialog", { name: "Start a timer" });
  await startDialog.getByLabel("Project").selectOption({ label: "Shop relaunch (Harbor Bakery)" });
  await startDialog.getByLabel("Description (optional)").fill("Kick-off call");
  await expect(startDialog.getByLabel("Billable")).toHaveValue("");
  await shot(page, "70-start-timer-dialog");
  await startDialog.getByRole("button", { name: "Start timer" }).click();
  await expect(startDialog).toBeHidden();
  await expect(bar).toContainText("Shop relaunch");
  await expect(bar).toContainText("Kick-off call");
  await expect(bar.getByRole("status")).toContainText("Timer started on Shop relaunch.");
  await expect.poll(() => elapsedSeconds(page), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  await shot(page, "71-timer-running");

  // A reload: the timer lives in the database and keeps counting from its start.
  await page.reload();
  await expect(bar).toContainText("Shop relaunch");
  expect(await elapsedSeconds(page)).toBeGreaterThanOrEqual(2);

  // Phone width: the bar still fits with its controls.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "72-timer-running-mobile");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Stop: the entry is on today's page.
  await bar.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(bar).toContainText("No timer running.");
  await expect(bar.getByRole("status")).toContainText("Timer stopped: under a minute logged on Shop relaunch.");
  await bar.getByRole("link", { name: "See the day" }).click();
  await expect(page).toHaveURL(/\/time\/day\?date=\d{4}-\d{2}-\d{2}/);
  const timed = page.getByRole("list", { name: "Timed entries in order" });
  await expect(timed).toContainText("Kick-off call");
  await expect(timed).toContainText("Shop relaunch");

  // A timer forgotten overnight: started 13 hours ago (corrected in its dialog), it warns, and Stop
  // asks for the real end instead of storing an impossible entry.
  const forgotten = new Date(Date.now() - 13 * 3600 * 1000);
  await bar.getByRole("button", { name: "Start timer" }).click();
  await startDialog.getByLabel("Project").selectOption({ label: "Shop relaunch (Harbor Bakery)" });
  await startDialog.getByLabel("Description (optional)").fill("Forgotten");
  await startDialog.getByRole("button", { name: "Start timer" }).click();
  await expect(bar).toContainText("Forgotten");
  await bar.getByRole("button", { name: "Change the timer" }).click();
  const change = page.getByRole("dialog", { name: "Change the running timer" });
  await change.getByLabel("Started at").fill(zoneInput(forgotten));
  await change.getByRole("button", { name: "Save" }).click();
  await expect(change).toBeHidden();
  await expect(bar).toContainText("more than 12 hours");
  expect(await elapsedSeconds(page)).toBeGreaterThan(12 * 3600);
  await shot(page, "77-timer-over-12h");
  await bar.getByRole("button", { name: "Stop", exact: true }).click();
  const stopAt = page.getByRole("dialog", { name: "When did you stop working?" });
  await stopAt.getByLabel("Stopped working at").fill(zoneInput(new Date(forgotten.getTime() + 14 * 3600 * 1000)));
  await stopAt.getByRole("button", { name: "Stop the timer" }).click();
  // Beyond now: refused by the database, shown at the field; the timer keeps running.
  await expect(stopAt.getByLabel("Stopped working at")).toHaveAccessibleDescription(/cannot end in the future/i);
  await expect(bar).toContainText("Forgotten");
  await shot(page, "77a-stop-at-refused");
  await stopAt.getByLabel("Stopped working at").fill(zoneInput(new Date(forgotten.getTime() + 30 * 60 * 1000)));
  await stopAt.getByRole("button", { name: "Stop the timer" }).click();
  await expect(stopAt).toBeHidden();
  await expect(bar).toContainText("No timer running.");
  await expect(bar.getByRole("status")).toContainText("Timer stopped: 0:30 logged on Shop relaunch");

  // The day view's navigation works from the keyboard.
  const daysBack = (n: number) => zoneInput(new Date(Date.now() - n * 86_400_000)).slice(0, 10);
  await page.goto("/time/day");
  await expect(page.getByText(`Times in ${ZONE.replace("_", " ")}.`)).toBeVisible();
  await page.getByRole("link", { name: "Previous day", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`date=${daysBack(1)}`));

  // Two days ago (all of it in the past, clear of the timers' time): a manual entry.
  const twoDaysAgo = `/time/day?date=${daysBack(2)}`;
  await page.goto(twoDaysAgo);
  await expect(page.getByText("No time on this day")).toBeVisible();
  const add = page.getByRole("form", { name: "Log time" });
  await add.getByLabel("Project").selectOption({ label: "Shop relaunch (Harbor Bakery)" });
  await add.getByLabel("Description (optional)").fill("Wireframes");
  await add.getByLabel("Start", { exact: true }).fill("09:00");
  await add.getByLabel("End", { exact: true }).fill("10:30");
  await add.getByRole("button", { name: "Add entry" }).click();
  await expect(page.getByText("Logged 1:30 on Shop relaunch.", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Timed entries in order" })).toContainText("09:00–10:30");

  // An overlapping one is refused at the Start field, naming and linking the entry in the way.
  await add.getByLabel("Project").selectOption({ label: "Shop relaunch (Harbor Bakery)" });
  await add.getByLabel("Description (optional)").fill("Double booked");
  await add.getByLabel("Start", { exact: true }).fill("10:00");
  await add.getByLabel("End", { exact: true }).fill("11:00");
  await add.getByRole("button", { name: "Add entry" }).click();
  await expect(add.getByLabel("Start", { exact: true })).toHaveAccessibleDescription(
    /overlaps your entry on Shop relaunch/,
  );
  await expect(add.getByLabel("Description (optional)")).toHaveValue("Double booked");
  await expect(add.getByRole("link", { name: "See the entry it overlaps" })).toBeVisible();
  await shot(page, "73-day-overlap");

  // Another entry after a gap; the gap shows as untracked time.
  await add.getByLabel("Start", { exact: true }).fill("11:00");
  await add.getByLabel("End", { exact: true }).fill("11:30");
  await add.getByRole("button", { name: "Add entry" }).click();
  await expect(page.getByText("Logged 0:30 on Shop relaunch.", { exact: true })).toBeVisible();
  const list = page.getByRole("list", { name: "Timed entries in order" });
  await expect(list).toContainText("0:30 untracked");
  await expect(page.getByRole("definition").first()).toHaveText("2:00");

  // Edit in a dialog: the first entry ends at 10:45 now.
  await list.getByRole("button", { name: /^Edit Shop relaunch 09:00–10:30/ }).click();
  const edit = page.getByRole("dialog", { name: "Edit entry" });
  await expect(edit.getByLabel("Start", { exact: true })).toHaveValue("09:00");
  await edit.getByLabel("End", { exact: true }).fill("10:45");
  await shot(page, "74a-edit-entry-dialog");
  await edit.getByRole("button", { name: "Save entry" }).click();
  await expect(edit).toBeHidden();
  await expect(list).toContainText("09:00–10:45");
  await expect(list).toContainText("0:15 untracked");
  await shot(page, "74-day-view");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "75-day-view-mobile");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The project's hours gauge counts the logged time (1:45 + 0:30 + 0:30 + the first timer's seconds of 10 h).
  await page.goto(projectUrl);
  await expect(page.getByRole("img", { name: /^Hours: 28 % used, 2\.8 h of 10 h/ })).toBeVisible();
  await shot(page, "76-project-gauge-after-time");

  // The project's default for new time: not billable. The next entry with "Project default" follows it.
  await page.getByRole("link", { name: "Edit project" }).click();
  const billableDefault = page.getByLabel("New time on this project is billable");
  await expect(billableDefault).toBeChecked();
  await billableDefault.uncheck();
  await page.getByRole("button", { name: "Save project" }).click();
  await expect(page).toHaveURL(projectUrl);
  await page.goto(twoDaysAgo);
  await expect(page.getByRole("list", { name: "Timed entries in order" })).toContainText("09:00–10:45");
  await add.getByLabel("Project").selectOption({ label: "Shop relaunch (Harbor Bakery)" });
  await add.getByLabel("Description (optional)").fill("Internal sync");
  await add.getByRole("radio", { name: "A duration" }).check();
  await expect(add.getByLabel("Start", { exact: true })).toBeHidden();
  await add.getByLabel("Duration", { exact: true }).fill("45m");
  await add.getByRole("button", { name: "Add entry" }).click();
  const durations = page.getByRole("list", { name: "Entries logged as a duration" });
  await expect(durations).toContainText("Internal sync");
  await expect(durations).toContainText("Not billable");

  // After a rate change a manager brings unbilled time up to date, after confirming.
  await page.goto(`${projectUrl}/team`);
  await page.getByRole("button", { name: "Apply current rates to unbilled time" }).click();
  const confirm = page.getByRole("dialog", { name: "Apply the current rates to unbilled time?" });
  await confirm.getByRole("button", { name: "Apply current rates" }).click();
  await expect(
    page.getByText(
      /^(Current rates applied to \d+ unbilled entr(y|ies)\.|Every unbilled entry already has the current rate\.)$/,
    ),
  ).toBeVisible();
  await shot(page, "78-team-apply-rates");
});
