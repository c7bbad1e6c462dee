import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Pager } from "#app/components/ui/pager.tsx";
import { Form, Link, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Download, Plus, Upload, Users } from "lucide-react";
import { useRef } from "react";
import { RelationshipBadge, relationshipOptions } from "#app/components/clients/relationship-badge.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { clientFacets, listClients } from "#app/models/clients.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { readClientFilters } from "#app/utils/client-filters.ts";
import { timeAgo } from "#app/utils/dates.ts";
import { formatMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Clients · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const filters = readClientFilters(new URL(request.url));
  const [result, facets] = await Promise.all([
    listClients({ claims: viewer.claims, agencyId, filters }),
    clientFacets({ claims: viewer.claims, agencyId }),
  ]);
  return {
    ...result,
    facets,
    filtered: Boolean(filters.q || filters.tags || filters.industry || filters.relationship),
  };
}

export default function ClientList() {
  const { data, total, page, per_page, facets, filtered } = useLoaderData<typeof loader>();
  const { active } = useStaff();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const searchTimer = useRef<ReturnType<typeof setTimeout>>();
  const canManage = active.role !== "member";
  const exportHref = `/clients/export.csv?${new URLSearchParams([...params].filter(([k]) => k !== "page"))}`;

  return (
    <>
      <PageHeader
        title="Clients"
        description={canManage ? "Everyone your agency works with." : "Clients of the deals assigned to you."}
        actions={
          <>
            <Button asChild variant="secondary" size="sm">
              <a href={exportHref}>
                <Download className="h-4 w-4" aria-hidden="true" /> Export CSV
              </a>
            </Button>
            {canManage ? (
              <>
                <Button asChild variant="secondary" size="sm">
                  <Link to="/clients/import">
                    <Upload className="h-4 w-4" aria-hidden="true" /> Import
                  </Link>
                </Button>
                <Button asChild size="sm">
                  <Link to="/clients/new">
                    <Plus className="h-4 w-4" aria-hidden="true" /> New client
                  </Link>
                </Button>
              </>
            ) : null}
          </>
        }
      />

      <Form
        method="get"
        role="search"
        aria-label="Filter clients"
        className="mb-4 grid gap-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto]"
        onChange={(event) => {
          const form = event.currentTarget;
          const isSearch = (event.target as HTMLElement).getAttribute("name") === "q";
          clearTimeout(searchTimer.current);
          searchTimer.current = setTimeout(() => submit(form, { replace: true }), isSearch ? 300 : 0);
        }}
      >
        <label className="sr-only" htmlFor="client-search">
          Search clients
        </label>
        <input
          id="client-search"
          type="search"
          name="q"
          defaultValue={params.get("q") ?? ""}
          placeholder="Search company, contact or email"
          className="rounded-md border border-zinc-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
        />
        <FilterSelect name="tag" label="Tag" value={params.get("tag")} options={facets.tags} />
        <FilterSelect name="industry" label="Industry" value={params.get("industry")} options={facets.industries} />
        <FilterSelect
          name="relationship"
          label="Relationship"
          value={params.get("relationship")}
          options={relationshipOptions.map((o) => o.value)}
        />
        <label className="sr-only" htmlFor="client-sort">
          Sort by
        </label>
        <select
          id="client-sort"
          name="sort"
          defaultValue={params.get("sort") ?? ""}
          className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm"
        >
          <option value="">Sort: best match / name</option>
          <option value="name">Sort: name</option>
          <option value="activity">Sort: last activity</option>
          <option value="revenue">Sort: revenue</option>
          <option value="created">Sort: newest</option>
        </select>
        <div className="flex items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-zinc-700">
            <input type="checkbox" name="archived" value="true" defaultChecked={params.get("archived") === "true"} />{" "}
            Archived
          </label>
          <noscript>
            <Button type="submit" size="sm">
              Apply
            </Button>
          </noscript>
        </div>
      </Form>

      {data.length === 0 ? (
        filtered || page > 1 ? (
          <EmptyState
            icon={<Users className="h-6 w-6" />}
            title="No clients match"
            action={
              <Link className="text-sm font-medium text-brand hover:underline" to="/clients">
                Clear the filters
              </Link>
            }
          >
            Try fewer words or another tag.
          </EmptyState>
        ) : (
          <EmptyState
            icon={<Users className="h-6 w-6" />}
            title="No clients yet"
            action={
              canManage ? (
                <div className="flex gap-2">
                  <Button asChild>
                    <Link to="/clients/new">Add your first client</Link>
                  </Button>
                  <Button asChild variant="secondary">
                    <Link to="/clients/import">Import a CSV</Link>
                  </Button>
                </div>
              ) : undefined
            }
          >
            {canManage
              ? "Add clients one by one, or bring your list from a spreadsheet."
              : "Clients appear here when a deal is assigned to you."}
          </EmptyState>
        )
      ) : (
        <Card className={navigation.state === "loading" ? "opacity-60 transition-opacity" : undefined}>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Clients, {total} in total</caption>
              <thead className="border-b border-zinc-100 text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Company
                  </th>
                  <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">
                    Primary contact
                  </th>
                  <th scope="col" className="hidden px-4 py-3 font-medium lg:table-cell">
                    Tags
                  </th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Relationship
                  </th>
                  <th scope="col" className="hidden px-4 py-3 text-right font-medium sm:table-cell">
                    Open deals
                  </th>
                  <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">
                    Last activity
                  </th>
                  <th scope="col" className="hidden px-4 py-3 text-right font-medium lg:table-cell">
                    Revenue
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {data.map((client) => (
                  <tr key={client.id} className="hover:bg-zinc-50">
                    <td className="px-4 py-3">
                      <Link
                        to={`/clients/${client.id}`}
                        className="font-medium text-zinc-900 hover:text-brand hover:underline"
                      >
                        {client.name}
                      </Link>
                      {client.industry ? <p className="text-xs text-zinc-500">{client.industry}</p> : null}
                    </td>
                    <td className="hidden px-4 py-3 md:table-cell">
                      {client.primary_contact_name ? (
                        <>
                          <p>{client.primary_contact_name}</p>
                          <p className="text-xs text-zinc-500">{client.primary_contact_email}</p>
                        </>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="hidden px-4 py-3 lg:table-cell">
                      <div className="flex flex-wrap gap-1">
                        {client.tags.map((tag) => (
                          <Badge key={tag}>{tag}</Badge>
                        ))}
                      </div>
                    </td>
                    <td className="px-4 py-3">
                      <RelationshipBadge relationship={client.relationship} />
                    </td>
                    <td className="hidden px-4 py-3 text-right tabular-nums sm:table-cell">{client.open_deals}</td>
                    <td className="hidden px-4 py-3 text-zinc-600 md:table-cell">{timeAgo(client.last_activity_at)}</td>
                    <td className="hidden px-4 py-3 text-right tabular-nums lg:table-cell">
                      {formatMoney(client.lifetime_revenue_cents, client.currency ?? active.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} perPage={per_page} total={total} />
        </Card>
      )}
    </>
  );
}

function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | null;
  options: string[];
}) {
  return (
    <>
      <label className="sr-only" htmlFor={`filter-${name}`}>
        {label}
      </label>
      <select
        id={`filter-${name}`}
        name={name}
        defaultValue={value ?? ""}
        className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm"
      >
        <option value="">{`Any ${label.toLowerCase()}`}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </>
  );
}
