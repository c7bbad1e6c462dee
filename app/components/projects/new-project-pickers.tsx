import { useId } from "react";
import { Avatar } from "#app/components/ui/card.tsx";

const roleLabel: Record<string, string> = { owner: "Owner", manager: "Manager", member: "Member" };

type Template = { id: string; name: string; description: string | null; is_default: boolean; tasks: string[] };

function FieldErrorText({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} role="alert" className="text-sm text-red-700">
      {errors.join(" ")}
    </p>
  );
}

function taskSummary(tasks: string[]): string {
  if (tasks.length === 0) return "No tasks.";
  const listed = tasks.slice(0, 4).join(", ") + (tasks.length > 4 ? ", …" : "");
  return `${tasks.length} ${tasks.length === 1 ? "task" : "tasks"}: ${listed}`;
}

/** "Blank" or one of the agency's templates, as radio cards showing the tasks each one brings. */
export function TemplatePicker({
  templates,
  defaultValue,
  errors,
}: {
  templates: Template[];
  defaultValue: string;
  errors: string[] | undefined;
}) {
  const id = useId();
  const choices = [
    { id: "", name: "Blank", description: "No tasks; add them on the board.", is_default: false, tasks: [] },
    ...templates,
  ];
  return (
    <fieldset className="space-y-3 p-5" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="sr-only">Start from</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {choices.map((template) => {
          const key = template.id || "blank";
          return (
            // The label's ::after covers the card, so a click anywhere picks it; the radio's name
            // stays short and the task list is its description.
            <div
              key={key}
              className="relative flex gap-3 rounded-lg border border-zinc-200 p-4 text-sm hover:bg-zinc-50 has-[:checked]:border-brand has-[:checked]:bg-brand/5 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand/40"
            >
              <input
                id={`${id}-${key}`}
                type="radio"
                name="template_id"
                value={template.id}
                defaultChecked={defaultValue === template.id}
                aria-describedby={`${id}-${key}-about`}
                className="relative z-10 mt-0.5 h-4 w-4 shrink-0 border-zinc-300 accent-brand focus:ring-brand"
              />
              <div className="min-w-0">
                <label
                  htmlFor={`${id}-${key}`}
                  className="block cursor-pointer font-medium text-zinc-900 after:absolute after:inset-0"
                >
                  {template.is_default ? `${template.name} (default)` : template.name}
                </label>
                <p id={`${id}-${key}-about`} className="mt-0.5 text-zinc-600">
                  {template.id ? taskSummary(template.tasks) : template.description}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <FieldErrorText id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

/** Checkboxes (posted as repeated `team` values): works without JavaScript, one tab stop each. */
export function TeamPicker({
  members,
  selected,
  errors,
}: {
  members: { value: string; label: string; role: string }[];
  selected: string[];
  errors: string[] | undefined;
}) {
  const id = useId();
  return (
    <fieldset className="p-5" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="sr-only">Team members</legend>
      <ul className="grid gap-2 sm:grid-cols-2">
        {members.map((member) => (
          <li key={member.value}>
            <label className="flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-50">
              <input
                type="checkbox"
                name="team"
                value={member.value}
                defaultChecked={selected.includes(member.value)}
                className="h-4 w-4 rounded border-zinc-300 accent-brand focus:ring-brand"
              />
              <Avatar name={member.label} size={28} />
              <span className="min-w-0">
                <span className="block truncate font-medium text-zinc-900">{member.label}</span>
                <span className="block text-xs text-zinc-500">{roleLabel[member.role] ?? member.role}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <FieldErrorText id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}
