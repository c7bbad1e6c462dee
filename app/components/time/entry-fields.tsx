import { Link } from "@remix-run/react";
import { useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { InputField } from "#app/components/ui/field.tsx";
import type { TrackableProject } from "#app/models/time-entries.server.ts";
import { TargetFields, type TargetValues } from "./target-fields.tsx";

/**
 * A time entry's fields for the day view's add and edit forms: what it is for, the date, then
 * start and end, or a duration. Without JavaScript both ways show and the radio decides; with it,
 * only the chosen one. Field messages come from the database's rules (mapped to these names).
 */
export type EntryValues = TargetValues & {
  date?: string;
  mode?: string;
  start?: string;
  end?: string;
  duration?: string;
};

export type Conflict = { id: string; date: string };

export function EntryFields({
  projects,
  values,
  errors,
  idPrefix,
  editing = false,
  conflict,
}: {
  projects: TrackableProject[];
  values: EntryValues;
  errors: Record<string, string[] | undefined>;
  idPrefix: string;
  editing?: boolean;
  /** The entry an overlap collides with, to link to. */
  conflict?: Conflict;
}) {
  const hydrated = useHydrated();
  const [mode, setMode] = useState(values.mode === "duration" ? "duration" : "times");
  const showTimes = !hydrated || mode === "times";
  const showDuration = !hydrated || mode === "duration";

  return (
    <>
      <TargetFields
        projects={projects}
        values={values}
        errors={errors}
        idPrefix={idPrefix}
        allowProjectDefault={!editing}
      />
      <InputField
        id={`${idPrefix}-date`}
        label="Date"
        type="date"
        name="date"
        required
        defaultValue={values.date}
        errors={errors.date}
      />
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium text-zinc-800">Log as</legend>
        <div className="mt-1.5 flex flex-wrap gap-x-5 gap-y-1 text-sm text-zinc-800">
          {(
            [
              ["times", "Start and end"],
              ["duration", "A duration"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="inline-flex items-center gap-2">
              <input
                type="radio"
                name="mode"
                value={value}
                checked={mode === value}
                onChange={() => setMode(value)}
                className="h-4 w-4 border-zinc-300 text-brand focus:ring-brand/40"
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {showTimes ? (
        <>
          <InputField
            id={`${idPrefix}-start`}
            label="Start"
            type="time"
            name="start"
            step={60}
            defaultValue={values.start}
            errors={errors.start}
            hint={
              conflict ? (
                <Link
                  to={`/time/day?date=${conflict.date}#entry-${conflict.id}`}
                  className="font-medium text-brand hover:underline"
                >
                  See the entry it overlaps
                </Link>
              ) : undefined
            }
          />
          <InputField
            id={`${idPrefix}-end`}
            label="End"
            type="time"
            name="end"
            step={60}
            defaultValue={values.end}
            errors={errors.end}
            hint="An end before the start is on the next day."
          />
        </>
      ) : null}
      {showDuration ? (
        <InputField
          id={`${idPrefix}-duration`}
          label="Duration"
          name="duration"
          autoComplete="off"
          placeholder="1:30"
          defaultValue={values.duration}
          errors={errors.duration}
          hint={hydrated ? "Such as 1:30, 1.5 or 90m." : "Such as 1:30, 1.5 or 90m (when logging a duration)."}
        />
      ) : null}
    </>
  );
}
