import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { projectWithYesterdaysTime, signUpWithAgency } from "./helpers.ts";

/**
 * From tracked hours to a paid invoice on a laptop with no accounts: the owner logs time, drafts
 * an invoice and sends it; the client opens the pay link from the email in the dev mailbox, pays
 * on the local test checkout (which posts a signed Stripe event to the webhook function under
 * Deno), and lands back on the pay page, paid. The owner sees the online payment on the
 * timeline, the PDF opens, and the client's receipt is in the mailbox. Screenshots (desktop and
 * phone width) go to test-results/screenshots.
 */
const run = randomUUID().slice(0, 6);
const clientEmail = `accounts-${run}@client.e2e.test`;

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}-1280.png`, fullPage: true });
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/screenshots/${name}-390.png`, fullPage: true });
  await page.setViewportSize(size);
}

/** Opens the newest email to `to` whose subject matches, in a fresh tab of the same browser. */
async function openEmail(browser: Browser, to: string, subject: RegExp): Promise<Page> {
  const mailbox = await browser.newPage();
  const link = mailbox.getByRole("link", { name: new RegExp(`To ${to.replace(/[.+]/g, "\\$&")}`) }).filter({
    hasText: subject,
  });
  await expect(async () => {
    await mailbox.goto("/dev/mailbox");
    await expect(link.first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await link.first().click();
  return mailbox;
}

test("an owner sends an invoice, the client pays it online, and the app shows it paid", async ({ page, browser }) => {
  await signUpWithAgency(page, {
    name: "Paula Payee",
    email: `paula-${run}@e2e.test`,
    agency: `Paid Studio ${run}`,
    currency: "EUR",
  });

  // The address the invoice and the pay page print.
  await page.goto("/settings/agency");
  await page.getByLabel("Address").fill("12 Harbour Road\nDublin 4");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Agency settings saved.", { exact: true })).toBeVisible();

  // A client, a project at €100 an hour and two hours logged yesterday.
  const projectUrl = await projectWithYesterdaysTime(page, {
    client: "Contoso Foods",
    project: "Ordering app",
    description: "Checkout screens",
  });

  // Draft from the unbilled time.
  await page.goto(projectUrl);
  await page.getByRole("link", { name: "Create invoice" }).click();
  await expect(page.getByRole("definition").filter({ hasText: "€200.00" })).toBeVisible();
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("heading", { name: "Draft invoice" })).toBeVisible();
  const invoiceUrl = page.url();

  // Send: the client has no contact yet, so the dialog asks where to.
  await page.getByRole("button", { name: "Send invoice" }).click();
  const send = page.getByRole("dialog", { name: "Send this invoice" });
  await expect(send.getByLabel("To")).toBeFocused();
  await expect(send.getByLabel("To")).toHaveValue("");
  await send.getByLabel("To").fill(clientEmail);
  await send.getByLabel("Message (optional)").fill("Thanks for the project, here is the invoice.");
  await shots(page, "invoice-payment-01-send-dialog");
  await send.getByRole("button", { name: "Send invoice" }).click();
  await expect(send).toBeHidden();
  await expect(page.getByRole("heading", { name: /^Invoice INV-\d{4}-0001$/ })).toBeVisible();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText(`Emailed to ${clientEmail}`);
  await expect(page.getByLabel("Pay link")).toHaveValue(/\/pay\/[0-9a-f]{64}$/);
  await shots(page, "invoice-payment-02-sent");

  // The client's email, in the dev mailbox, carries the pay link.
  const mail = await openEmail(browser, clientEmail, /INV-\d{4}-0001/);
  const payHref = await mail
    .getByRole("list", { name: "Links in this email" })
    .getByRole("link")
    .filter({ hasText: "/pay/" })
    .first()
    .getAttribute("href");
  await mail.close();
  expect(payHref).toMatch(/\/pay\/[0-9a-f]{64}$/);

  // The client, signed out, pays on the local test checkout.
  const clientContext = await browser.newContext();
  const client = await clientContext.newPage();
  await client.goto(payHref!);
  await expect(client.getByText("Contoso Foods").first()).toBeVisible();
  await expect(client.getByText("12 Harbour Road")).toBeVisible();
  await shots(client, "invoice-payment-03-pay-page");
  await client.getByRole("button", { name: "Pay €200.00" }).click();
  await expect(client).toHaveURL(/\/dev\/checkout\/cs_test_local_/);
  await expect(client.getByLabel("Card number")).toHaveValue("4242 4242 4242 4242");
  await expect(client.getByText(/nothing you type here is sent anywhere/)).toBeVisible();
  await shots(client, "invoice-payment-04-checkout");
  await client.getByRole("button", { name: "Pay €200.00" }).click();
  await expect(client).toHaveURL(/\/pay\/[0-9a-f]{64}\?paid=1$/);
  await expect(client.getByText("Paid, thank you")).toBeVisible();
  await expect(client.getByText("Thank you, your payment was received.")).toBeVisible();
  await expect(client.getByRole("button", { name: /^Pay / })).toHaveCount(0);
  await shots(client, "invoice-payment-05-paid");
  await clientContext.close();

  // In the app: paid, online, and the client's first view on the timeline.
  await page.goto(invoiceUrl);
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("Viewed by the client");
  await expect(timeline).toContainText("Paid online: €200.00");
  await expect(timeline).toContainText("Paid in full");
  await expect(page.getByRole("list", { name: "Payments" })).toContainText("Online (Stripe)");
  await shots(page, "invoice-payment-06-paid-in-app");

  // The PDF opens (a new tab) as a PDF.
  const pdfLink = page.getByRole("link", { name: /Download PDF/ });
  await expect(pdfLink).toHaveAttribute("target", "_blank");
  const pdf = await page.request.get((await pdfLink.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // The client's receipt.
  const receipt = await openEmail(browser, clientEmail, /payment|received|paid|thank/i);
  await expect(receipt.getByRole("heading", { level: 2 })).toContainText(/INV-\d{4}-0001|payment|received/i);
  await receipt.close();
});
