import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fromDatabaseError, validationError } from "./errors.server.ts";

describe("errors users can act on", () => {
  it("turns a database rule's hint into a stable code on the right field", () => {
    const error = fromDatabaseError({
      code: "P0001",
      message: "an agency needs at least one active owner",
      hint: "last_owner",
    });
    expect(error).toMatchObject({
      status: 422,
      code: "last_owner",
      fieldErrors: { role: [expect.stringMatching(/^An agency/)] },
    });
  });

  it("finds the database error inside a wrapped one", () => {
    const wrapped = {
      message: "Failed query",
      cause: { code: "42501", message: "only an owner can …", hint: "owner_required" },
    };
    expect(fromDatabaseError(wrapped)).toMatchObject({ status: 403, code: "owner_required" });
  });

  it("names the column of a violated check constraint", () => {
    const error = fromDatabaseError({
      code: "23514",
      message: "violates check",
      table_name: "agencies",
      constraint_name: "agencies_timezone_check",
    });
    expect(error).toMatchObject({ status: 422, fieldErrors: { timezone: ["Not a valid value."] } });
  });

  it("leaves unknown failures alone", () => {
    expect(fromDatabaseError(new Error("socket hang up"))).toBeUndefined();
    expect(fromDatabaseError({ code: "57P01", message: "terminating connection" })).toBeUndefined();
  });

  it("collects zod issues per field", () => {
    const result = z.object({ email: z.email(), age: z.number() }).safeParse({ email: "x", age: "y" });
    expect(validationError(result.error!).fieldErrors).toEqual({
      email: [expect.any(String)],
      age: [expect.any(String)],
    });
  });
});
