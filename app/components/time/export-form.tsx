import { Download } from "lucide-react";
import { useId, type FormEvent } from "react";
import { Button } from "#app/components/ui/button.tsx";

type Option = { value: string; label: string };

const controlClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30";

/**
 * "Export CSV": a GET form for the export route in a disclosure (a native <details>, so it opens
 * without JavaScript too). The file is a download, so the form posts no navigation the router
 * should own. With JavaScript, filters left at "all" are left out of the URL instead of being
 * sent empty.
 */
export function ExportCsvForm({
  from,
  to,
  members,
  projects,
}: {
  from: string;
  to: string;
  /** Owners and managers export anyone's time; a member exports their own (no picker). */
  members: Option[] | null;
  projects: Option[];
}) {
  const id = useId();
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value !== "") params.append(name, value);
    }
    window.location.assign(`${form.getAttribute("action")}?${params}`);
    form.closest("details")?.removeAttribute("open");
  }
  return (
    <details className="group relative">
      <summary className="inline-flex h-8 cursor-pointer list-none items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand [&::-webkit-details-marker]:hidden">
        <Download className="h-4 w-4" aria-hidden="true" />
        Export CSV
      </summary>
      <div className="absolute left-0 z-30 mt-2 w-[min(20rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-4 shadow-lg sm:left-auto sm:right-0">
        <form
          method="get"
          action="/time/export.csv"
          aria-label="Export time as CSV"
          className="space-y-3"
          onSubmit={handleSubmit}
        >
          <div className="grid grid-cols-2 gap-3">
            <div className="space-y-1">
              <label htmlFor={`${id}-from`} className="block text-sm font-medium text-zinc-800">
                From
              </label>
              <input id={`${id}-from`} type="date" name="from" defaultValue={from} required className={controlClass} />
            </div>
            <div className="space-y-1">
              <label htmlFor={`${id}-to`} className="block text-sm font-medium text-zinc-800">
                To
              </label>
              <input id={`${id}-to`} type="date" name="to" defaultValue={to} required className={controlClass} />
            </div>
          </div>
          {members ? (
            <div className="space-y-1">
              <label htmlFor={`${id}-user`} className="block text-sm font-medium text-zinc-800">
                Person
              </label>
              <select id={`${id}-user`} name="user_id" defaultValue="" className={controlClass}>
                <option value="">Everyone</option>
                {members.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="space-y-1">
            <label htmlFor={`${id}-project`} className="block text-sm font-medium text-zinc-800">
              Project
            </label>
            <select id={`${id}-project`} name="project_id" defaultValue="" className={controlClass}>
              <option value="">All projects</option>
              {projects.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-billable`} className="block text-sm font-medium text-zinc-800">
              Billable
            </label>
            <select id={`${id}-billable`} name="billable" defaultValue="" className={controlClass}>
              <option value="">Billable and non-billable</option>
              <option value="true">Billable only</option>
              <option value="false">Non-billable only</option>
            </select>
          </div>
          <p className="text-xs text-zinc-500">One row per entry, durations in hours (two decimals) and seconds.</p>
          <Button type="submit" size="sm" className="w-full">
            <Download className="h-4 w-4" aria-hidden="true" /> Download CSV
          </Button>
        </form>
      </div>
    </details>
  );
}
