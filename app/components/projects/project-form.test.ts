import { describe, expect, it } from "vitest";
import { headlineBudget } from "./budget-bar.tsx";
import { fieldErrorsForForm } from "./form-errors.ts";
import { EditProjectForm, moneyToCents, NewProjectForm } from "./project-form.ts";

const client = "5b0f6c1e-2f7e-4d0a-9a57-3c1f0f0b6d11";
const person = "0c9a2b4e-6d1f-4e8a-b3c2-7f5e1d2a9b80";

describe("the new-project form", () => {
  it("reads blank fields as not set and keeps the team", () => {
    const parsed = NewProjectForm.parse({
      client_id: client,
      name: "  Intranet  ",
      status: "planning",
      billing_type: "fixed",
      budget: "",
      budget_hours: "",
      currency: "",
      template_id: "",
      team: [person],
    });
    expect(parsed).toMatchObject({ name: "Intranet", team: [person] });
    expect(parsed.budget_hours).toBeUndefined();
    expect(parsed.currency).toBeUndefined();
    expect(parsed.template_id).toBeUndefined();
  });

  it("names each field that is wrong, the deadline before the start included", () => {
    const result = NewProjectForm.safeParse({
      client_id: "",
      name: "",
      status: "planning",
      billing_type: "fixed",
      budget_hours: "-5",
      start_date: "2027-02-01",
      deadline: "2027-01-15",
      team: ["not-an-id"],
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((issue) => issue.path.join(".")));
    expect(fields).toEqual(new Set(["client_id", "name", "budget_hours", "deadline", "team.0"]));
  });

  it("starts a project open, never completed or archived", () => {
    const result = NewProjectForm.safeParse({
      client_id: client,
      name: "X",
      status: "archived",
      billing_type: "fixed",
    });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["status"]);
  });

  it("lets the edit form archive a project", () => {
    const parsed = EditProjectForm.parse({ name: "Old site", status: "archived", billing_type: "hourly" });
    expect(parsed.status).toBe("archived");
  });
});

describe("amounts in the project's currency", () => {
  it("converts both amounts to minor units, empty as no amount", () => {
    expect(moneyToCents({ budget: "24,000.50", hourly_rate: "" }, "EUR")).toEqual({
      ok: true,
      budget_cents: 2400050,
      hourly_rate_cents: null,
    });
  });

  it("refuses decimals the currency does not have, at the field", () => {
    expect(moneyToCents({ budget: "1500.5", hourly_rate: "95" }, "JPY")).toEqual({
      ok: false,
      fieldErrors: { budget: ["Enter an amount in JPY, such as 12500 or 12500.50."] },
    });
  });
});

describe("database messages at the fields a person can fix", () => {
  it("moves constraint and column names onto the form's fields", () => {
    expect(
      fieldErrorsForForm({
        deadline_after_start: ["Not a valid value."],
        budget_cents: ["Not a valid value."],
        "team.0": ["Choose people from the list."],
        "team.1": ["Choose people from the list."],
        name: ["Enter a name."],
      }),
    ).toEqual({
      deadline: ["The deadline is before the start date."],
      budget: ["Not a valid value."],
      team: ["Choose people from the list."],
      name: ["Enter a name."],
    });
  });
});

describe("the list's budget bar", () => {
  const figures = {
    budget_cents: 1_000_000,
    spent_cents: 500_000,
    percent_used: 50,
    budget_hours: 100,
    spent_hours: 90,
    percent_hours_used: 90,
  };

  it("shows the budget closer to running out", () => {
    expect(headlineBudget(figures, "EUR")).toEqual({ percent: 90, of: "100 h" });
  });

  it("shows hours when the viewer may not see money, and nothing without a budget", () => {
    expect(headlineBudget({ ...figures, spent_cents: null, percent_used: null }, "EUR")?.of).toBe("100 h");
    expect(
      headlineBudget(
        {
          budget_cents: null,
          spent_cents: null,
          percent_used: null,
          budget_hours: null,
          spent_hours: 3,
          percent_hours_used: null,
        },
        "EUR",
      ),
    ).toBeNull();
  });
});
