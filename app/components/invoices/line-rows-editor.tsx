import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";

/**
 * Hand-made invoice lines as rows of inputs named `lines.N.field`, shared by the new-invoice form
 * and recurring schedules. Without JavaScript the given rows (with blanks) are all there is;
 * with it, rows are added and removed.
 */
export type LineRow = { key: number; description: string; quantity: string; unit_price: string; tax_rate: string };

const cell =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500";

export function LineRowsEditor({
  initialRows,
  errors,
  currency,
  listLabel,
  placeholder,
  maxRows = 50,
}: {
  initialRows: LineRow[];
  errors: Record<string, string[] | undefined>;
  currency: string | null;
  /** The accessible name of the list ("Manual lines"). */
  listLabel: string;
  /** An example description. */
  placeholder: string;
  maxRows?: number;
}) {
  const hydrated = useHydrated();
  const [rows, setRows] = useState<LineRow[]>(initialRows);
  const [nextKey, setNextKey] = useState(() => Math.max(-1, ...initialRows.map((r) => r.key)) + 1);
  return (
    <>
      <ol className="space-y-4" aria-label={listLabel}>
        {rows.map((row, position) => {
          const n = position + 1;
          const field = (name: keyof Omit<LineRow, "key">, label: string, props: Record<string, unknown> = {}) => {
            const id = `line-${row.key}-${name}`;
            const error = errors[`lines.${row.key}.${name}`];
            return (
              <div className="space-y-1">
                <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
                  {label}
                  <span className="sr-only">, line {n}</span>
                </label>
                <input
                  id={id}
                  name={`lines.${row.key}.${name}`}
                  defaultValue={row[name]}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  className={cell}
                  {...props}
                />
                {error ? (
                  <p id={`${id}-error`} role="alert" className="text-xs text-red-700">
                    {error.join(" ")}
                  </p>
                ) : null}
              </div>
            );
          };
          return (
            <li
              key={row.key}
              className="grid grid-cols-3 gap-2 border-b border-zinc-100 pb-4 last:border-0 last:pb-0 sm:grid-cols-[minmax(0,1fr)_4.5rem_7rem_4.5rem_auto] sm:items-start"
            >
              <div className="col-span-3 sm:col-span-1">
                {field("description", "Description", { maxLength: 500, placeholder })}
              </div>
              {field("quantity", "Qty", { inputMode: "decimal" })}
              {field("unit_price", currency ? `Unit price (${currency})` : "Unit price", {
                inputMode: "decimal",
                placeholder: "0.00",
              })}
              {field("tax_rate", "Tax %", { inputMode: "decimal", placeholder: "Default" })}
              {hydrated ? (
                <div className="col-span-3 flex justify-end sm:col-span-1 sm:h-full sm:items-end sm:pt-5">
                  <Button
                    type="button"
                    variant="ghost"
                    size="sm"
                    aria-label={`Remove line ${n}`}
                    onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                  >
                    <Trash2 className="h-4 w-4" aria-hidden="true" />
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {hydrated && rows.length < maxRows ? (
        <Button
          type="button"
          variant="secondary"
          size="sm"
          className="mt-4"
          onClick={() => {
            setRows((current) => [
              ...current,
              { key: nextKey, description: "", quantity: "1", unit_price: "", tax_rate: "" },
            ]);
            setNextKey((k) => k + 1);
          }}
        >
          <Plus className="h-4 w-4" aria-hidden="true" /> Add a line
        </Button>
      ) : null}
    </>
  );
}
