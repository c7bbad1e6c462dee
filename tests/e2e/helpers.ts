import { expect, type Page } from "@playwright/test";

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
