import { Form } from "@remix-run/react";
import { useId, type FormEvent } from "react";
import { Button } from "#app/components/ui/button.tsx";
import type { FormFailure } from "#app/utils/forms.ts";
import { endPosition, type BoardColumn } from "./board-state.ts";

export interface MoveRequest {
  dealId: string;
  stageId: string;
  lostReason: string;
}

/**
 * The "Move to" control every card has: a plain form, so moving works without JavaScript. Each
 * stage's end position travels as a hidden field (the server cannot know where "the end" is
 * without reading the board again), and the lost-reason field appears — through CSS :has(), no
 * script needed — when Lost is chosen. With JavaScript the board takes the submission over
 * (`onMove`) to move optimistically and ask for the lost reason in a dialog.
 */
export function MoveForm({
  dealId,
  dealTitle,
  currentStageId,
  columns,
  back,
  failure,
  onMove,
}: {
  dealId: string;
  dealTitle: string;
  currentStageId: string;
  columns: BoardColumn[];
  back: string;
  failure?: FormFailure;
  onMove?: (request: MoveRequest) => void;
}) {
  const id = useId();
  const message = failure ? (failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")) : undefined;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    if (!onMove) return;
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onMove({ dealId, stageId: String(data.get("stage")), lostReason: String(data.get("lost_reason") ?? "").trim() });
  }

  return (
    <details className="mt-2 text-xs" open={Boolean(failure)}>
      <summary className="w-fit cursor-pointer rounded font-medium text-zinc-600 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
        Move to…
      </summary>
      <Form method="post" className="group/move mt-2 space-y-2" onSubmit={handleSubmit} noValidate>
        <div className="flex items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={`${id}-stage`} className="sr-only">
              Move {dealTitle} to
            </label>
            <select
              id={`${id}-stage`}
              name="stage"
              defaultValue={failure?.values.stage ?? currentStageId}
              className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
            >
              {columns.map((column) => (
                <option key={column.id} value={column.id} data-kind={column.kind}>
                  {column.name}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" size="sm" variant="secondary" className="h-7 px-2 text-xs">
            Move
          </Button>
        </div>
        <div className="hidden group-has-[option[data-kind=lost]:checked]/move:block">
          <label htmlFor={`${id}-reason`} className="block font-medium text-zinc-700">
            Why was it lost?
          </label>
          <input
            id={`${id}-reason`}
            name="lost_reason"
            maxLength={1000}
            defaultValue={failure?.values.lost_reason}
            aria-invalid={failure?.fieldErrors.lost_reason ? true : undefined}
            aria-describedby={message ? `${id}-error` : undefined}
            className="mt-1 block w-full rounded-md border border-zinc-300 px-2 py-1 text-xs shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
          />
        </div>
        {message ? (
          <p id={`${id}-error`} role="alert" className="text-red-700">
            {message}
          </p>
        ) : null}
        {columns.map((column) => (
          <input key={column.id} type="hidden" name={`end_${column.id}`} value={endPosition(column)} />
        ))}
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="deal_id" value={dealId} />
        <input type="hidden" name="back" value={back} />
      </Form>
    </details>
  );
}
