import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

/** On a phone the shell collapses into a menu; everything stays reachable. */
test("a new owner gets around on a phone", async ({ page }) => {
  const email = `phone-${randomUUID().slice(0, 6)}@e2e.test`;
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Pat Phone");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Agency name").fill("Pocket Studio");
  await page.getByRole("button", { name: "Create agency" }).click();
  await expect(page.getByRole("heading", { name: "Hello, Pat" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/mobile-dashboard.png", fullPage: true });

  await page.getByLabel("Open the menu").click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await expect(page.getByRole("heading", { name: "Clients", exact: true })).toBeVisible();
  await expect(page.getByText("No clients yet")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/mobile-clients.png", fullPage: true });
});
