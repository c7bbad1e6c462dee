import { describe, expect, it } from "vitest";
import { renderEmail } from "./render.server.tsx";

/** The outbox row the budget trigger writes (template budget_alert) becomes a branded email. */
describe("budget_alert email", () => {
  const data = {
    agency_name: "Northwind Studio",
    logo_url: null,
    brand_color: "#0f766e",
    project_name: "Website relaunch",
    metric: "money",
    threshold: 80,
    percent_used: 83.4,
    project_path: "/projects/7d1c1f9e-8a43-4a52-9e7e-0d7f7f1d2a11",
  };

  it("names the project and the share used, and links to it absolutely", async () => {
    const email = await renderEmail("budget_alert", data, "https://crm.example.com");
    expect(email.subject).toBe("Website relaunch: 83.4 % of the budget used");
    expect(email.html).toContain('href="https://crm.example.com/projects/7d1c1f9e-8a43-4a52-9e7e-0d7f7f1d2a11"');
    expect(email.text).toContain("past the 80 % warning mark");
    expect(email.html).toContain("#0f766e");
  });

  it("says the budget is used up at 100 % and speaks of hours for an hours budget", async () => {
    const email = await renderEmail(
      "budget_alert",
      { ...data, metric: "hours", threshold: 100, percent_used: 101 },
      "http://localhost:3000",
    );
    expect(email.subject).toBe("Website relaunch: 101 % of the hours budget used");
    expect(email.text).toContain("beyond what was planned");
    expect(email.text).toContain("hours budget");
  });

  it("refuses a row without the project path instead of sending a broken link", async () => {
    const { project_path: _omitted, ...incomplete } = data;
    await expect(renderEmail("budget_alert", incomplete, "http://localhost:3000")).rejects.toThrow();
  });
});
