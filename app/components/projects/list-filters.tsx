import { Form, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { projectStatusLabel } from "#app/components/pipeline/project-labels.ts";
import { allStatuses } from "#app/components/projects/statuses.ts";
import { Button } from "#app/components/ui/button.tsx";

const controlClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30";

type Option = { value: string; label: string };

/** The filters the loader accepted (a bad value in the URL is dropped, not shown as blank). */
export type ProjectQuery = { q?: string; client?: string; status?: string; manager?: string; over?: string };

/**
 * The project list's filters as a GET form (see list-query.ts): shareable, and it works without
 * JavaScript; with it, the list follows each change.
 */
export function ProjectListFilters({
  query,
  clients,
  managers,
}: {
  query: ProjectQuery;
  clients: Option[];
  managers: Option[];
}) {
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const searchTimer = useRef<ReturnType<typeof setTimeout>>();

  // Uncontrolled inputs keep their first value; follow the URL when it changes some other way
  // (back button, "Clear filters"), but never under the cursor of someone typing.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    for (const element of Array.from(form.elements)) {
      if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) continue;
      if (!element.name || element === document.activeElement) continue;
      const value = query[element.name as keyof ProjectQuery] ?? "";
      if (element instanceof HTMLInputElement && element.type === "checkbox") element.checked = value === element.value;
      else element.value = value;
    }
  }, [query]);

  return (
    <Form
      ref={formRef}
      method="get"
      role="search"
      aria-label="Filter projects"
      className="mb-3 grid gap-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_repeat(3,10rem)_auto]"
      onChange={(event) => {
        const form = event.currentTarget;
        const isSearch = (event.target as HTMLElement).getAttribute("name") === "q";
        clearTimeout(searchTimer.current);
        searchTimer.current = setTimeout(() => submit(form, { replace: true }), isSearch ? 300 : 0);
      }}
    >
      <label className="sr-only" htmlFor="project-search">
        Search projects
      </label>
      <input
        id="project-search"
        type="search"
        name="q"
        defaultValue={query.q ?? ""}
        placeholder="Search projects by name"
        className={controlClass}
      />
      <FilterSelect name="client" label="Client" anyLabel="Any client" options={clients} value={query.client} />
      <FilterSelect
        name="status"
        label="Status"
        anyLabel="Any status"
        options={[
          { value: "open", label: "Open" },
          ...allStatuses.map((s) => ({ value: s, label: projectStatusLabel[s] ?? s })),
        ]}
        value={query.status}
      />
      <FilterSelect name="manager" label="Manager" anyLabel="Any manager" options={managers} value={query.manager} />
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-2 whitespace-nowrap text-sm text-zinc-700">
          <input
            type="checkbox"
            name="over"
            value="1"
            defaultChecked={query.over === "1"}
            className="h-4 w-4 rounded border-zinc-300 accent-brand focus:ring-brand"
          />
          Over budget
        </label>
        <noscript>
          <Button type="submit" size="sm">
            Apply
          </Button>
        </noscript>
      </div>
    </Form>
  );
}

function FilterSelect({
  name,
  label,
  anyLabel,
  options,
  value,
}: {
  name: string;
  label: string;
  anyLabel: string;
  options: Option[];
  value: string | undefined;
}) {
  return (
    <div>
      <label className="sr-only" htmlFor={`project-filter-${name}`}>
        {label}
      </label>
      <select id={`project-filter-${name}`} name={name} defaultValue={value ?? ""} className={controlClass}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
