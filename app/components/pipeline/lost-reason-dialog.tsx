import { ReasonDialog } from "#app/components/board/reason-dialog.tsx";

/**
 * Asked when a card is dropped on the lost stage: the database refuses a lost deal without a
 * reason, so the board asks first instead of failing.
 */
export function LostReasonDialog({
  dealTitle,
  stageName,
  onConfirm,
  onCancel,
}: {
  /** The deal being lost; the dialog is open while this is set. */
  dealTitle: string | null;
  stageName: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  return (
    <ReasonDialog
      open={dealTitle !== null}
      title="Why was it lost?"
      description={
        <>
          Moving “{dealTitle}” to {stageName}. The reason goes on the client’s timeline and helps the next pitch.
        </>
      }
      field={{
        label: "Reason",
        name: "lost_reason",
        placeholder: "Budget went to another agency, timing, scope…",
        maxLength: 1000,
        minLength: 1,
        tooShort: "Say why the deal was lost.",
      }}
      cancelLabel="Cancel"
      confirmLabel="Mark as lost"
      confirmVariant="danger"
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
