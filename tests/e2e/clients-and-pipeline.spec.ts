import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signUpWithAgency as signUp } from "./helpers.ts";

/**
 * From a new client to a project: create the client, log a call, add two deals, drag one with the
 * mouse and carry the other to Won with the keyboard, and land on the project the win created.
 */
const run = randomUUID().slice(0, 6);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

function signUpWithAgency(page: Page) {
  return signUp(page, {
    name: "Paula Pipeline",
    email: `paula-${run}@e2e.test`,
    agency: `Funnel ${run}`,
    currency: "EUR",
  });
}

async function addDeal(page: Page, clientId: string, title: string, value: string) {
  await page.goto(`/pipeline/new?client=${clientId}`);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Value").fill(value);
  await page.getByRole("button", { name: "Add deal" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
}

test("a client, a logged call and a deal carried to won become a project", async ({ page }) => {
  await signUpWithAgency(page);

  // A client with its primary contact.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await expect(page.getByText("No clients yet")).toBeVisible();
  await page.getByRole("link", { name: "Add your first client" }).click();
  await page.getByLabel("Company name").fill("Acme Design");
  await page.getByLabel("Industry").fill("Retail");
  await page.getByLabel("Tags").fill("web, Retainer");
  await page.getByLabel("Name", { exact: true }).fill("Ann Acme");
  await page.getByLabel("Email", { exact: true }).fill("ann@acme.test");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Acme Design/ })).toBeVisible();
  const clientId = page.url().split("/clients/")[1]!;

  // A call on the timeline.
  await page.getByLabel("Type").selectOption("call");
  await page.getByLabel("What happened").fill("Ann wants a quote for the relaunch by Friday.");
  await page.getByRole("button", { name: "Log it" }).click();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("Ann wants a quote for the relaunch by Friday.");
  await shot(page, "10-client-page");

  // The typo-tolerant search finds it.
  await page.goto("/clients?q=acme%20desgin");
  await expect(page.getByRole("link", { name: "Acme Design" })).toBeVisible();

  // Two deals in Lead.
  await addDeal(page, clientId, "Website relaunch", "24000");
  await addDeal(page, clientId, "Brand workshop", "3500");
  await page.goto("/pipeline");
  const lead = page.getByRole("list", { name: "Deals in Lead" });
  const proposal = page.getByRole("list", { name: "Deals in Proposal" });
  await expect(lead).toContainText("Website relaunch");
  await expect(lead).toContainText("Brand workshop");

  // Mouse: drag "Brand workshop" into Proposal.
  const handle = page.getByRole("button", { name: "Drag Brand workshop" });
  const box = (await handle.boundingBox())!;
  const target = (await proposal.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + 40, { steps: 20 });
  await page.mouse.up();
  await expect(proposal).toContainText("Brand workshop");
  await expect(proposal).toContainText("40 %");

  // Keyboard: carry "Website relaunch" from Lead to Won (three columns to the right).
  const relaunch = page.getByRole("button", { name: "Drag Website relaunch" });
  await relaunch.focus();
  await page.keyboard.press("Space");
  // Each step lets the board measure and scroll before the next (as a person's key presses do);
  // pressed back to back, a step can land on the column the board is still scrolling past.
  await page.waitForTimeout(200);
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(300);
  }
  await shot(page, "11-board-keyboard-drag");
  await page.keyboard.press("Space");
  await expect(page.getByRole("list", { name: "Deals in Won" })).toContainText("Website relaunch");
  await expect(page.getByText("Project created for “Website relaunch”.").first()).toBeVisible();
  await shot(page, "12-board-won");

  await page.getByRole("link", { name: "Open the project" }).click();
  await expect(page.getByRole("heading", { name: "Website relaunch" })).toBeVisible();
  await expect(page.getByText("Kick-off meeting")).toBeVisible();
  await expect(page.getByRole("link", { name: "Acme Design" }).first()).toHaveAttribute("href", `/clients/${clientId}`);
  await shot(page, "13-project-from-deal");

  // The client's timeline tells the story.
  await page.goto(`/clients/${clientId}`);
  await expect(timeline).toContainText('Deal "Website relaunch" won');
  await expect(timeline).toContainText('Project "Website relaunch" created');
});
