import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { projectWithYesterdaysTime, signUpWithAgency } from "./helpers.ts";

/**
 * From tracked hours to a paid invoice: the owner logs two hours on a past day, opens "Create
 * invoice" from the project, drafts it from the unbilled time, issues it (the first number) and
 * records the full amount as a bank transfer. Screenshots (desktop and phone width) go to
 * test-results/screenshots.
 */
const run = randomUUID().slice(0, 6);

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}-1280.png`, fullPage: true });
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/screenshots/${name}-390.png`, fullPage: true });
  await page.setViewportSize(size);
}

test("an owner invoices a project's unbilled time, issues it and records the payment", async ({ page }) => {
  await signUpWithAgency(page, {
    name: "Ines Invoicer",
    email: `ines-${run}@e2e.test`,
    agency: `Billing ${run}`,
    currency: "EUR",
  });

  await page.goto("/invoices");
  await expect(page.getByRole("heading", { name: "No invoices yet" })).toBeVisible();
  await shots(page, "invoices-01-empty");

  // A client and a project at €100 an hour (the owner on its team), two hours yesterday.
  const projectUrl = await projectWithYesterdaysTime(page, {
    client: "Northwind Trading",
    project: "Catalogue site",
    description: "Product pages",
  });

  // From the project: Create invoice, with the unbilled time previewed.
  await page.goto(projectUrl);
  await page.getByRole("link", { name: "Create invoice" }).click();
  await expect(page).toHaveURL(/\/invoices\/new\?project=/);
  const unbilled = page.getByRole("definition").filter({ hasText: "€200.00" });
  await expect(unbilled).toBeVisible();
  await expect(page.getByLabel("Include this time")).toBeChecked();
  await page.getByLabel("Group the time").selectOption("task");
  await page.getByLabel("Description, line 1").fill("Hosting, one year");
  await page.getByLabel("Unit price (EUR), line 1").fill("120");
  await page.getByRole("button", { name: "Add a line" }).click();
  await page.getByLabel("Description, line 4").fill("Loyalty discount");
  await page.getByLabel("Unit price (EUR), line 4").fill("-20");
  await shots(page, "invoices-02-new");
  await page.getByRole("button", { name: "Create draft" }).click();

  await expect(page.getByRole("heading", { name: "Draft invoice" })).toBeVisible();
  const lines = page.getByRole("table", { name: "Invoice lines and totals" });
  await expect(lines.getByRole("row")).toHaveCount(4);
  await expect(lines).toContainText("Loyalty discount");
  await expect(page.getByText("€300.00").first()).toBeVisible();
  await shots(page, "invoices-03-draft");

  // Issue without emailing: the dialog says what happens (and that nothing is sent), then the number shows.
  await page.getByRole("button", { name: "Issue without emailing" }).click();
  const issue = page.getByRole("dialog", { name: "Issue without emailing?" });
  await expect(issue).toContainText("Nothing is emailed");
  await issue.getByRole("button", { name: "Issue invoice" }).click();
  await expect(page.getByRole("heading", { name: /^Invoice INV-\d{4}-0001$/ })).toBeVisible();
  await expect(page.getByText("Open", { exact: true }).first()).toBeVisible();

  // The full amount by bank transfer: the amount due is the default.
  await page.getByRole("button", { name: "Record payment" }).click();
  const pay = page.getByRole("dialog", { name: "Record a payment" });
  await expect(pay.getByLabel("Amount (EUR)")).toHaveValue("300.00");
  await pay.getByLabel("Reference (optional)").fill("Bank ref 42");
  await pay.getByRole("button", { name: "Record payment" }).click();
  await expect(pay).toBeHidden();
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Payments" })).toContainText("Bank ref 42");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Paid in full");
  await expect(page.getByRole("button", { name: "Record payment" })).toHaveCount(0);
  await shots(page, "invoices-04-paid");

  await page.goto("/invoices");
  const row = page.getByRole("row", { name: /INV-\d{4}-0001/ });
  await expect(row).toContainText("Northwind Trading");
  await expect(row).toContainText("Paid");
  await shots(page, "invoices-05-list");
});
