import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CheckCircle2, XCircle } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { importClients, parseClientCsv, type ImportResult, type ImportRow } from "#app/models/client-import.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

/**
 * CSV import in two steps: upload → preview (every row checked by the database, nothing written)
 * → confirm. Rows that fail import nothing; the others import, each client with its contact.
 */
export const meta: MetaFunction = () => [{ title: "Import clients · Agency CRM" }];

const MAX_CSV_BYTES = 2 * 1024 * 1024;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context.app);
  return null;
}

type Stage =
  | { stage: "preview"; rows: ImportRow[]; results: ImportResult[]; ignoredColumns: string[] }
  | { stage: "done"; results: ImportResult[]; rows: ImportRow[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_CSV_BYTES }),
    );
    if (form.get("intent") === "import") {
      const rows = JSON.parse(String(form.get("rows") ?? "[]")) as ImportRow[];
      const results = await importClients({ claims: viewer.claims, agencyId, rows, dryRun: false });
      const imported = results.filter((r) => r.ok).length;
      await context.app.toast({
        kind: imported === results.length ? "success" : "info",
        message: `Imported ${imported} of ${results.length} clients.`,
      });
      return { stage: "done", results, rows } satisfies Stage;
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      throw new AppError(422, "file_missing", "Choose a CSV file.", { file: ["Choose a CSV file."] });
    }
    const { rows, ignoredColumns } = parseClientCsv(await file.text());
    const results = await importClients({ claims: viewer.claims, agencyId, rows, dryRun: true });
    return { stage: "preview", rows, results, ignoredColumns } satisfies Stage;
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return formFailure(
        new AppError(422, "file_too_large", "Use a file of at most 2 MB.", { file: ["Use a file of at most 2 MB."] }),
      );
    }
    return formFailure(error);
  }
}

export default function ImportClients() {
  const result = useActionData<typeof action>();
  const failure = isFormFailure(result) ? result : undefined;
  const data = result && !isFormFailure(result) ? (result as Stage) : undefined;
  const navigation = useNavigation();

  return (
    <>
      <PageHeader
        title="Import clients"
        description="From a spreadsheet saved as CSV. You see every row before anything is imported."
        actions={
          <Link to="/clients" className="text-sm font-medium text-brand hover:underline">
            Back to clients
          </Link>
        }
      />
      {!data || data.stage === "done" ? (
        <Card className="max-w-3xl">
          <CardHeader
            title="1. Choose a file"
            description="Columns (any order; first row is the header): name, industry, tags (separated by ;), size, website, address, country, currency, relationship, notes, contact_name, contact_email, contact_phone, contact_title."
          />
          <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-4 p-5" noValidate>
            <FormError message={failure?.formError} />
            <InputField
              label="CSV file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              errors={failure?.fieldErrors.file}
            />
            <Button type="submit" pending={navigation.state === "submitting"}>
              Preview
            </Button>
          </Form>
        </Card>
      ) : null}

      {data ? <Results data={data} pending={navigation.state === "submitting"} /> : null}
    </>
  );
}

function Results({ data, pending }: { data: Stage; pending: boolean }) {
  const good = data.results.filter((r) => r.ok).length;
  const bad = data.results.length - good;
  return (
    <Card className="mt-6">
      <CardHeader
        title={data.stage === "preview" ? "2. Check and confirm" : "Import finished"}
        description={
          data.stage === "preview"
            ? `${good} row(s) will import${bad ? `, ${bad} row(s) have problems and will be skipped` : ""}.`
            : `${good} client(s) imported${bad ? `, ${bad} row(s) skipped — fix them and import those again` : ""}.`
        }
        action={
          data.stage === "preview" ? (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="import" />
              <input type="hidden" name="rows" value={JSON.stringify(data.rows)} />
              <Button type="submit" disabled={good === 0} pending={pending}>
                Import {good} client(s)
              </Button>
            </Form>
          ) : (
            <Button asChild>
              <Link to="/clients?sort=created">See the clients</Link>
            </Button>
          )
        }
      />
      {data.stage === "preview" && data.ignoredColumns.length > 0 ? (
        <p className="px-5 pt-3 text-sm text-amber-800">Ignored columns: {data.ignoredColumns.join(", ")}</p>
      ) : null}
      <div className="max-h-[32rem] overflow-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Rows of the file and whether each imports</caption>
          <thead className="sticky top-0 bg-white text-xs uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2">
                Row
              </th>
              <th scope="col" className="px-4 py-2">
                Company
              </th>
              <th scope="col" className="px-4 py-2">
                Contact
              </th>
              <th scope="col" className="px-4 py-2">
                Result
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {data.results.map((r) => {
              const row = data.rows[r.row_number - 1] ?? {};
              return (
                <tr key={r.row_number} className={r.ok ? undefined : "bg-red-50/50"}>
                  <td className="px-4 py-2 tabular-nums text-zinc-500">{r.row_number + 1}</td>
                  <td className="px-4 py-2">{row.name || <span className="text-zinc-400">(empty)</span>}</td>
                  <td className="px-4 py-2 text-zinc-600">
                    {[row.contact_name, row.contact_email].filter(Boolean).join(" · ")}
                  </td>
                  <td className="px-4 py-2">
                    {r.ok ? (
                      <span className="inline-flex items-center gap-1 text-emerald-700">
                        <CheckCircle2 className="h-4 w-4" aria-hidden="true" />{" "}
                        {data.stage === "preview" ? "Ready" : "Imported"}
                      </span>
                    ) : (
                      <span className="inline-flex items-start gap-1 text-red-700">
                        <XCircle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden="true" /> {r.message}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
