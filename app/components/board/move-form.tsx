import { Form } from "@remix-run/react";
import { useId, type FormEvent, type ReactNode } from "react";
import { Button } from "#app/components/ui/button.tsx";

export interface MoveOption {
  value: string;
  label: string;
  /** Written as data-kind, for CSS that shows a field only for some columns (group-has-… /move). */
  kind?: string;
}

/**
 * The "Move to…" control on a card: a plain form in a disclosure, so moving works without
 * JavaScript. With JavaScript the board takes the submission over (`onChoose`) to move the card
 * optimistically like a drop. The board adds its own fields (`children`), hidden values and
 * anything after the form (`after`).
 */
export function MoveToForm({
  id: givenId,
  itemTitle,
  name,
  options,
  defaultValue,
  error,
  hidden,
  onChoose,
  children,
  after,
}: {
  /** The ids of the form's fields start with this; pass one to label fields of your own. */
  id?: string;
  itemTitle: string;
  name: string;
  options: MoveOption[];
  defaultValue: string;
  /** Why the last no-JavaScript move of this card was refused; opens the disclosure. */
  error?: string;
  hidden: Record<string, string | number>;
  onChoose?: (data: FormData) => void;
  children?: ReactNode;
  after?: ReactNode;
}) {
  const ownId = useId();
  const id = givenId ?? ownId;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    if (!onChoose) return;
    event.preventDefault();
    onChoose(new FormData(event.currentTarget));
  }

  return (
    <details className="mt-2 text-xs" open={Boolean(error)}>
      <summary className="w-fit cursor-pointer rounded font-medium text-zinc-600 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
        Move to…
      </summary>
      <Form method="post" className="group/move mt-2 space-y-2" onSubmit={handleSubmit} noValidate>
        <div className="flex items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={`${id}-to`} className="sr-only">
              Move {itemTitle} to
            </label>
            <select
              id={`${id}-to`}
              name={name}
              defaultValue={defaultValue}
              aria-describedby={error ? `${id}-error` : undefined}
              className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
            >
              {options.map((option) => (
                <option key={option.value} value={option.value} data-kind={option.kind}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" size="sm" variant="secondary" className="h-7 px-2 text-xs">
            Move
          </Button>
        </div>
        {children}
        {error ? (
          <p id={`${id}-error`} role="alert" className="text-red-700">
            {error}
          </p>
        ) : null}
        {Object.entries(hidden).map(([field, value]) => (
          <input key={field} type="hidden" name={field} value={value} />
        ))}
      </Form>
      {after}
    </details>
  );
}
