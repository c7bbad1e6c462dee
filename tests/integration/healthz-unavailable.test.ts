import { describe, expect, it } from "vitest";
import { http } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/** /healthz is for load balancers: 200 only when a query over the request path succeeds. */
const app = useTestServer({ requestDatabaseUrl: "postgres://crm_request:wrong@127.0.0.1:1/nowhere" });
const request = http(app.url);

describe("GET /healthz when the database does not answer", () => {
  it("answers 503 so traffic goes elsewhere", async () => {
    const response = await request("/healthz");
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: "unavailable" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
