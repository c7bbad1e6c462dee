import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { KanbanSquare, Plus } from "lucide-react";
import { z } from "zod";
import { PageHeader } from "#app/components/page-header.tsx";
import { BoardFilters } from "#app/components/pipeline/board-filters.tsx";
import { columnTotals, type BoardColumn } from "#app/components/pipeline/board-state.ts";
import { PipelineBoard } from "#app/components/pipeline/board.tsx";
import { ForecastChart } from "#app/components/pipeline/forecast-chart.tsx";
import { formatWhole } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { getAgency } from "#app/models/agency.server.ts";
import { listClients } from "#app/models/clients.server.ts";
import { createDeal, getBoard, getForecast, moveDeal } from "#app/models/pipeline.server.ts";
import { listTeam } from "#app/models/team.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { parseMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Pipeline · Agency CRM" }];

/** Bad filter values are dropped rather than refused: a stale bookmark still opens the board. */
const Filters = z.object({
  owner: uuid.optional().catch(undefined),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .catch(undefined),
});

/** Where a no-JavaScript form returns to: the board with the filters it was on. */
const back = z
  .string()
  .regex(/^(\?[^#\s]*)?$/)
  .optional()
  .catch(undefined);

const optionalNumber = z.preprocess(
  (value) => (value === "" || value === undefined ? undefined : Number(value)),
  z.number({ error: "Not a number." }).finite().optional(),
);

const BoardForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("move"),
    deal_id: uuid,
    stage: uuid,
    position: optionalNumber,
    lost_reason: z.string().trim().max(1000, "Use at most 1000 characters.").optional(),
    respond: z.literal("json").optional(),
    back,
  }),
  z
    .object({
      intent: z.literal("quick_add"),
      stage: uuid,
      title: z.string().trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
      client_id: z.union([z.literal("new"), uuid], { error: "Choose a client." }),
      new_client_name: z.string().trim().max(200, "Use at most 200 characters.").optional(),
      value: z.string().max(20).optional(),
      back,
    })
    .refine((form) => form.client_id !== "new" || Boolean(form.new_client_name), {
      path: ["new_client_name"],
      message: "Enter the new client's name.",
    }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const url = new URL(request.url);
  const filters = Filters.parse({
    owner: url.searchParams.get("owner") || undefined,
    month: url.searchParams.get("month") || undefined,
  });
  const claims = viewer.claims;
  const [board, forecast, team, clients] = await Promise.all([
    getBoard({ claims, agencyId, filters: { assignedTo: filters.owner, closeMonth: filters.month } }),
    getForecast({ claims, agencyId }),
    listTeam({ claims, agencyId }),
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
  ]);
  const columns: BoardColumn[] = board.map(
    ({ created_at: _c, updated_at: _u, agency_id: _a, position: _p, ...column }) => ({
      ...column,
      deals: column.deals.map(({ closed_at: _closed, ...deal }) => deal),
    }),
  );
  return {
    filters,
    columns,
    forecast: forecast.by_month,
    owners: team.members.filter((m) => m.is_active).map((m) => ({ value: m.user_id, label: m.name })),
    clients: clients.data.map((c) => ({ value: c.id, label: c.name })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const form = await parseForm(request, BoardForm);
  if (!form.ok) return form.response;
  const input = form.data;
  const claims = viewer.claims;
  const boardUrl = `/pipeline${input.back ?? ""}`;
  try {
    if (input.intent === "move") {
      // Without JavaScript the form cannot know the drop position; it sends each stage's end.
      const fallback = Number(form.values[`end_${input.stage}`]);
      const moved = await moveDeal({
        claims,
        dealId: input.deal_id,
        stage: input.stage,
        lostReason: input.lost_reason || null,
        position: input.position ?? (Number.isFinite(fallback) ? fallback : null),
      });
      if (input.respond === "json") return json({ ok: true as const, ...moved });
      if (moved.project_created && moved.project_id) {
        await context.app.toast({ kind: "success", message: "Deal won. Project created." });
        return redirect(`/projects/${moved.project_id}`);
      }
      await context.app.toast({ kind: "success", message: "Deal moved." });
      return redirect(boardUrl);
    }

    const agency = await getAgency({ claims, agencyId });
    const currency = agency?.currency ?? "USD";
    const value = parseMoney(input.value ?? "", currency);
    if (Number.isNaN(value)) {
      const message = "Enter an amount such as 1200 or 1200.50.";
      return formFailure(new AppError(422, "validation_failed", message, { value: [message] }), form.values);
    }
    await createDeal({
      claims,
      agencyId,
      ...(input.client_id === "new"
        ? { newClient: { client: { name: input.new_client_name! } } }
        : { clientId: input.client_id }),
      // The person adding it owns it until someone reassigns it (as on the full form).
      deal: { title: input.title, stage: input.stage, value_cents: value ?? 0, currency, assigned_to: viewer.userId },
    });
    await context.app.toast({ kind: "success", message: `Deal “${input.title}” added.` });
    return redirect(boardUrl);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function PipelinePage() {
  const { filters, columns, forecast, owners, clients } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { active } = useStaff();
  const navigation = useNavigation();
  const location = useLocation();
  const canEdit = active.role !== "member";
  const currency = active.currency;
  const filtered = Boolean(filters.owner || filters.month);
  const hasDeals = columns.some((column) => column.deals.length > 0);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/pipeline";
  const open = columns
    .filter((column) => column.kind === "open")
    .map((column) => columnTotals(column, currency, false));
  const months = forecast.filter((row) => row.currency === currency);
  const otherCurrencies = [...new Set(forecast.map((row) => row.currency).filter((c) => c !== currency))];
  // After a failed no-JavaScript POST the URL carries Remix's ?index marker; the way back does not need it.
  const backParams = new URLSearchParams(location.search);
  backParams.delete("index");
  const back = backParams.size > 0 ? `?${backParams}` : "";

  return (
    <>
      <PageHeader
        title="Pipeline"
        description={canEdit ? "Every deal by stage. Drag a card to move it." : "The deals assigned to you, by stage."}
        actions={
          canEdit ? (
            <Button asChild>
              <Link to="/pipeline/new">
                <Plus className="h-4 w-4" aria-hidden="true" /> New deal
              </Link>
            </Button>
          ) : null
        }
      />

      {!hasDeals && !filtered ? (
        <div className="mb-6">
          <EmptyState
            icon={<KanbanSquare className="h-6 w-6" />}
            title={canEdit ? "No deals yet" : "No deals for you yet"}
          >
            {canEdit
              ? "Add the first one with “Add a deal” in a column below, or with the full form. Winning a deal creates its project."
              : "When a manager assigns a deal to you, it shows up here."}
          </EmptyState>
        </div>
      ) : (
        <div className="mb-6 grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,30rem)]">
          <Card className="space-y-4 p-4">
            <dl className="grid grid-cols-3 gap-3">
              <Stat label="Open deals" value={String(open.reduce((sum, t) => sum + t.count, 0))} />
              <Stat
                label="Open value"
                value={formatWhole(
                  open.reduce((sum, t) => sum + t.value_cents, 0),
                  currency,
                )}
              />
              <Stat
                label="Weighted"
                value={formatWhole(
                  open.reduce((sum, t) => sum + t.weighted_cents, 0),
                  currency,
                )}
              />
            </dl>
            <BoardFilters
              key={location.search}
              owners={owners}
              owner={filters.owner}
              month={filters.month}
              showOwner={canEdit}
            />
            {filtered && !hasDeals ? (
              <p role="status" className="text-sm text-zinc-600">
                No deals match these filters.
              </p>
            ) : null}
          </Card>
          <Card className="p-4">
            <ForecastChart months={months} currency={currency} otherCurrencies={otherCurrencies} filtered={filtered} />
          </Card>
        </div>
      )}

      <div aria-busy={loading || undefined} className={cn("transition-opacity", loading && "opacity-60")}>
        <PipelineBoard
          columns={columns}
          currency={currency}
          canEdit={canEdit}
          clients={clients}
          back={back}
          actionFailure={isFormFailure(failure) ? failure : undefined}
        />
      </div>
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt className="truncate text-xs text-zinc-500">{label}</dt>
      <dd className="truncate text-lg font-semibold tabular-nums text-zinc-900">{value}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/pipeline" backLabel="Back to the pipeline" />;
}
