import { useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { InputField, SelectField } from "#app/components/ui/field.tsx";
import type { TrackableProject } from "#app/models/time-entries.server.ts";

/**
 * What time is for: project, task (of that project), description, billable — shared by the timer's
 * Start/Edit forms and the day view's entry forms. Without JavaScript the task list holds every
 * project's tasks ("Project: Task"); with it, only the chosen project's. The database checks the
 * pair either way (task_not_in_project).
 */
export type TargetValues = { project_id?: string; task_id?: string; description?: string; is_billable?: string };

export const billableOptions = [
  { value: "", label: "Project default" },
  { value: "true", label: "Billable" },
  { value: "false", label: "Not billable" },
];

/** A stored flag as the select's value; null (the timer's "not said") is the project default. */
export function billableValue(value: boolean | null | undefined): string {
  return value === true ? "true" : value === false ? "false" : "";
}

export function TargetFields({
  projects,
  values,
  errors,
  idPrefix,
  billableHint = "“Project default” uses the project's setting.",
  allowProjectDefault = true,
}: {
  projects: TrackableProject[];
  values: TargetValues;
  errors: Record<string, string[] | undefined>;
  /** Keeps ids unique when two forms are on one page. */
  idPrefix: string;
  billableHint?: string;
  /** An entry's flag is set once stored: editing it offers billable or not. */
  allowProjectDefault?: boolean;
}) {
  const hydrated = useHydrated();
  const [projectId, setProjectId] = useState(values.project_id ?? "");
  const [taskId, setTaskId] = useState(values.task_id ?? "");
  const project = projects.find((p) => p.id === projectId);
  // A project the person left (or that closed) stays visible in an edit form, so the value is kept.
  const projectOptions = [
    { value: "", label: "Choose a project…" },
    ...projects.map((p) => ({ value: p.id, label: p.client_name ? `${p.name} (${p.client_name})` : p.name })),
  ];
  const taskOptions = hydrated
    ? (project?.tasks ?? []).map((t) => ({ value: t.id, label: t.title }))
    : projects.flatMap((p) => p.tasks.map((t) => ({ value: t.id, label: `${p.name}: ${t.title}` })));
  if (taskId && !taskOptions.some((t) => t.value === taskId) && !hydrated) {
    taskOptions.push({ value: taskId, label: "(the current task)" });
  }

  return (
    <>
      <SelectField
        id={`${idPrefix}-project`}
        label="Project"
        name="project_id"
        required
        options={projectOptions}
        value={projectId}
        onChange={(event) => {
          const next = event.target.value;
          setProjectId(next);
          if (!projects.find((p) => p.id === next)?.tasks.some((t) => t.id === taskId)) setTaskId("");
        }}
        errors={errors.project_id}
      />
      <SelectField
        id={`${idPrefix}-task`}
        label="Task (optional)"
        name="task_id"
        options={[{ value: "", label: hydrated && !project ? "Choose a project first" : "No task" }, ...taskOptions]}
        value={taskId}
        onChange={(event) => setTaskId(event.target.value)}
        disabled={hydrated && (!project || project.tasks.length === 0)}
        hint={hydrated && project && project.tasks.length === 0 ? "This project has no tasks." : undefined}
        errors={errors.task_id}
      />
      <InputField
        id={`${idPrefix}-description`}
        label="Description (optional)"
        name="description"
        maxLength={2000}
        autoComplete="off"
        defaultValue={values.description}
        errors={errors.description}
        className="sm:col-span-2"
      />
      <SelectField
        id={`${idPrefix}-billable`}
        label="Billable"
        name="is_billable"
        options={allowProjectDefault ? billableOptions : billableOptions.slice(1)}
        defaultValue={values.is_billable ?? ""}
        hint={allowProjectDefault ? billableHint : undefined}
        errors={errors.is_billable}
      />
    </>
  );
}
