import * as Dialog from "@radix-ui/react-dialog";
import { Form, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";
import { DialogContent } from "#app/components/ui/dialog.tsx";

/**
 * "Reject" for a submitted week: the reason is required (the member reads it on their week and
 * in the email). Once hydrated a dialog asks for it; without JavaScript the same form opens in a
 * disclosure. A refusal from the server (an empty reason, a week someone else decided meanwhile)
 * opens it again with the message at the field.
 */
export function RejectWeekDialog({
  timesheetId,
  who,
  week,
  back,
  error,
  reason,
}: {
  timesheetId: string;
  /** "Mia Moreno" */
  who: string;
  /** "3–9 Nov 2026" */
  week: string;
  back: string;
  /** The server's message for this week's last rejection attempt. */
  error: string | undefined;
  reason: string | undefined;
}) {
  const hydrated = useHydrated();
  // A refusal shows in the open dialog (it stays open while the form posts); the reload after a
  // post made without JavaScript opens it with the message.
  const [open, setOpen] = useState(Boolean(error));

  if (!hydrated) {
    return (
      <details className="w-full" open={Boolean(error)}>
        <summary className="inline-flex h-8 cursor-pointer list-none items-center rounded-md px-3 text-sm font-medium text-red-700 hover:bg-red-50">
          Reject…
        </summary>
        <RejectForm timesheetId={timesheetId} back={back} error={error} reason={reason} who={who} week={week} />
      </details>
    );
  }
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button
          type="button"
          size="sm"
          variant="ghost"
          className="text-red-700 hover:bg-red-50"
          aria-label={`Reject ${who}'s week of ${week}`}
        >
          Reject
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <DialogContent className="fixed left-1/2 top-1/2 z-50 max-h-[calc(100vh-2rem)] w-[min(30rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-5 shadow-xl focus:outline-none">
          <Dialog.Title className="text-base font-semibold text-zinc-900">Reject {who}&rsquo;s week?</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            The week of {week} goes back to {who.split(/\s+/)[0]}, who can change it and submit it again. They see your
            reason on the week and in an email.
          </Dialog.Description>
          <RejectForm
            timesheetId={timesheetId}
            back={back}
            error={error}
            reason={reason}
            who={who}
            week={week}
            onCancel={() => setOpen(false)}
          />
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function RejectForm({
  timesheetId,
  back,
  error,
  reason,
  onCancel,
}: {
  timesheetId: string;
  back: string;
  error: string | undefined;
  reason: string | undefined;
  who: string;
  week: string;
  onCancel?: () => void;
}) {
  const id = useId();
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === "reject" &&
    navigation.formData.get("timesheet_id") === timesheetId;
  return (
    <Form method="post" className="mt-4 space-y-4">
      <input type="hidden" name="intent" value="reject" />
      <input type="hidden" name="timesheet_id" value={timesheetId} />
      <input type="hidden" name="back" value={back} />
      <div className="space-y-1.5">
        <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-zinc-800">
          Reason
        </label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={3}
          required
          maxLength={2000}
          defaultValue={reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          placeholder="e.g. Friday's 10 hours on Website look like a typo"
          className="block w-full rounded-md border border-zinc-300 px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
        />
        {error ? (
          <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : (
          <p id={`${id}-hint`} className="text-xs text-zinc-500">
            Say what needs to change.
          </p>
        )}
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant="danger" pending={busy}>
          Reject week
        </Button>
      </div>
    </Form>
  );
}
