import { useId } from "react";
import { MoveToForm } from "#app/components/board/move-form.tsx";
import type { FormFailure } from "#app/utils/forms.ts";
import { endPosition, type BoardColumn } from "./board-state.ts";

export interface MoveRequest {
  dealId: string;
  stageId: string;
  lostReason: string;
}

/**
 * A deal's "Move to" form. Each stage's end position travels as a hidden field (the server cannot
 * know where "the end" is without reading the board again), and the lost-reason field appears —
 * through CSS :has(), no script needed — when Lost is chosen. With JavaScript the board asks for
 * the lost reason in a dialog instead.
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
  const ends = Object.fromEntries(columns.map((column) => [`end_${column.id}`, endPosition(column)]));

  return (
    <MoveToForm
      id={id}
      itemTitle={dealTitle}
      name="stage"
      options={columns.map((column) => ({ value: column.id, label: column.name, kind: column.kind }))}
      defaultValue={failure?.values.stage ?? currentStageId}
      error={message}
      hidden={{ ...ends, intent: "move", deal_id: dealId, back }}
      onChoose={
        onMove &&
        ((data) =>
          onMove({
            dealId,
            stageId: String(data.get("stage")),
            lostReason: String(data.get("lost_reason") ?? "").trim(),
          }))
      }
    >
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
    </MoveToForm>
  );
}
