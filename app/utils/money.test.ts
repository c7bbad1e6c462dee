import { describe, expect, it } from "vitest";
import { centsToInput, formatMoney, minorUnits, parseMoney } from "./money.ts";

describe("money at the edges of forms", () => {
  it("knows each currency's minor units", () => {
    expect(minorUnits("EUR")).toBe(2);
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
  });

  it("parses typed amounts into integer minor units without floating-point drift", () => {
    expect(parseMoney("120", "EUR")).toBe(12000);
    expect(parseMoney("1,234.5", "USD")).toBe(123450);
    expect(parseMoney("0.29", "USD")).toBe(29);
    expect(parseMoney("19.99", "USD")).toBe(1999);
    expect(parseMoney("1500", "JPY")).toBe(1500);
    expect(parseMoney("1.234", "KWD")).toBe(1234);
    expect(parseMoney("  ", "EUR")).toBeNull();
  });

  it("refuses what it cannot read exactly", () => {
    expect(parseMoney("12.345", "EUR")).toBeNaN();
    expect(parseMoney("-5", "EUR")).toBeNaN();
    expect(parseMoney("1.5", "JPY")).toBeNaN();
    expect(parseMoney("ten", "EUR")).toBeNaN();
  });

  it("formats and round-trips", () => {
    expect(formatMoney(123450, "USD")).toBe("$1,234.50");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(centsToInput(12000, "EUR")).toBe("120.00");
    expect(centsToInput(null, "EUR")).toBe("");
    expect(parseMoney(centsToInput(98765, "USD"), "USD")).toBe(98765);
  });
});
