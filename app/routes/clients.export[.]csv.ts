import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { listClients } from "#app/models/clients.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { readClientFilters } from "#app/utils/client-filters.ts";

/** GET /clients/export.csv?… — the client list as filtered on screen, every page of it. */
const MAX_ROWS = 10_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const filters = readClientFilters(new URL(request.url));
  const rows = [];
  for (let page = 1; rows.length < MAX_ROWS; page += 1) {
    const result = await listClients({ claims: viewer.claims, agencyId, filters: { ...filters, page, perPage: 100 } });
    rows.push(...result.data);
    if (result.data.length < 100) break;
  }
  const csv = stringify(
    rows.map((c) => ({
      name: c.name,
      industry: c.industry ?? "",
      tags: c.tags.join(";"),
      relationship: c.relationship,
      website: c.website ?? "",
      currency: c.currency ?? "",
      contact_name: c.primary_contact_name ?? "",
      contact_email: c.primary_contact_email ?? "",
      open_deals: c.open_deals,
      last_activity_at: c.last_activity_at ?? "",
      created_at: c.created_at,
    })),
    // Named columns: a filter that matches nothing still gives a file with its header row.
    {
      header: true,
      columns: [
        "name",
        "industry",
        "tags",
        "relationship",
        "website",
        "currency",
        "contact_name",
        "contact_email",
        "open_deals",
        "last_activity_at",
        "created_at",
      ],
    },
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="clients-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
