import { describe, expect, it } from "vitest";
import { renderEmail } from "./render.server.tsx";

/** The outbox rows submit_timesheet and decide_timesheet write become branded emails. */
describe("timesheet emails", () => {
  const branding = { agency_name: "Northwind Studio", logo_url: null, brand_color: "#0f766e" };

  it("asks the approver to review a submitted week, linking to the approvals", async () => {
    const email = await renderEmail(
      "timesheet_submitted",
      { ...branding, member_name: "Mia Member", week_start: "2026-11-16", approvals_path: "/time/approvals" },
      "https://crm.example.com",
    );
    expect(email.subject).toBe("Mia Member submitted the week of 16 Nov 2026 for approval");
    expect(email.html).toContain('href="https://crm.example.com/time/approvals"');
  });

  it("gives the member the reason a week came back and a link to it", async () => {
    const email = await renderEmail(
      "timesheet_rejected",
      {
        ...branding,
        week_start: "2026-11-16",
        reason: "Tuesday is missing the client call.",
        timesheet_path: "/time?week=2026-11-16",
      },
      "http://localhost:3000",
    );
    expect(email.subject).toBe("Your week of 16 Nov 2026 needs changes");
    expect(email.text).toContain("Tuesday is missing the client call.");
    expect(email.html).toContain('href="http://localhost:3000/time?week=2026-11-16"');
  });

  it("refuses a rejection without its reason", async () => {
    await expect(
      renderEmail("timesheet_rejected", { ...branding, week_start: "2026-11-16", timesheet_path: "/time" }, "http://x"),
    ).rejects.toThrow();
  });
});
