import { sql } from "drizzle-orm";
import { asAnon } from "#app/utils/db.server.ts";

/** GET /healthz — 200 only when the database answers a query over the request path. */
export async function loader() {
  try {
    await asAnon((tx) => tx.execute(sql`select 1`));
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
