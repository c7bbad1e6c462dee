import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signUpWithAgency } from "./helpers.ts";

/**
 * Two board bugs that once shipped, kept fixed: a card carried by keyboard into an empty column
 * next to a long one fell back into its own column (collision detection), and Escape closed a
 * toast instead of the dialog the toast appeared over.
 */
async function agencyWithDeals(page: Page, titles: string[]) {
  const run = randomUUID().slice(0, 6);
  await signUpWithAgency(page, { name: "Paula Pipeline", email: `paula-${run}@e2e.test`, agency: `Funnel ${run}` });
  await page.goto("/clients/new");
  await page.getByLabel("Company name").fill("Acme Design");
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { name: /Acme Design/ })).toBeVisible();
  const clientId = page.url().split("/clients/")[1]!;
  for (const title of titles) {
    await page.goto(`/pipeline/new?client=${clientId}`);
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Value").fill("1000");
    await page.getByRole("button", { name: "Add deal" }).click();
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
  }
  await page.goto("/pipeline");
}

/** Picks a card up by keyboard, moves it `steps` columns right and drops it. */
async function carry(page: Page, title: string, steps: number) {
  await page.getByRole("button", { name: `Drag ${title}` }).focus();
  await page.keyboard.press("Space");
  await page.waitForTimeout(200);
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(300);
  }
  await page.keyboard.press("Space");
}

test("a card carried by keyboard into an empty column lands there", async ({ page }) => {
  await agencyWithDeals(page, ["Deal 1", "Deal 2", "Deal 3", "Deal 4", "Deal 5", "Deal 6", "Deal 7", "Deal 8"]);
  const lead = page.getByRole("list", { name: "Deals in Lead" });
  const proposal = page.getByRole("list", { name: "Deals in Proposal" });
  await expect(lead.getByRole("article")).toHaveCount(8);
  await expect(proposal.getByRole("article")).toHaveCount(0);
  for (const title of ["Deal 1", "Deal 8"]) {
    await carry(page, title, 1);
    await expect(proposal).toContainText(title);
  }
  await page.reload();
  await expect(proposal).toContainText("Deal 1");
  await expect(proposal).toContainText("Deal 8");
});

test("Escape closes the lost-reason dialog although a toast came after it", async ({ page }) => {
  await agencyWithDeals(page, ["Winner", "Loser"]);
  // The win's answer comes late, after the lost dialog has opened.
  let delayed = false;
  await page.route("**/pipeline?**", async (route) => {
    if (route.request().method() === "POST" && !delayed) {
      delayed = true;
      await new Promise((resolve) => setTimeout(resolve, 4000));
    }
    await route.continue();
  });
  await carry(page, "Winner", 3);
  await carry(page, "Loser", 4);
  const dialog = page.getByRole("dialog", { name: "Why was it lost?" });
  await expect(dialog).toBeVisible();
  await expect(page.getByText("Project created for “Winner”.").first()).toBeVisible({ timeout: 15000 });
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Project created for “Winner”.").first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Deals in Lead" })).toContainText("Loser");
});
