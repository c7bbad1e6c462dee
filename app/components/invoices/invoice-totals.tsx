import { cn } from "#app/components/ui/cn.ts";

/** Subtotal, tax, total and (once issued) paid and due: the same block on the staff page and the pay page. */
export function InvoiceTotals({
  invoice,
  money,
  showPayments,
  className,
}: {
  invoice: {
    subtotal_cents: number;
    tax_cents: number;
    total_cents: number;
    amount_paid_cents: number;
    amount_due_cents: number;
  };
  money: (cents: number) => string;
  showPayments: boolean;
  className?: string;
}) {
  return (
    <dl
      className={cn(
        "ml-auto grid max-w-xs grid-cols-[1fr_auto] gap-x-6 gap-y-1.5 border-t border-zinc-100 p-5 text-sm",
        className,
      )}
    >
      <dt className="text-zinc-600">Subtotal</dt>
      <dd className="text-right tabular-nums text-zinc-900">{money(invoice.subtotal_cents)}</dd>
      <dt className="text-zinc-600">Tax</dt>
      <dd className="text-right tabular-nums text-zinc-900">{money(invoice.tax_cents)}</dd>
      <dt className="font-semibold text-zinc-900">Total</dt>
      <dd className="text-right font-semibold tabular-nums text-zinc-900">{money(invoice.total_cents)}</dd>
      {showPayments ? (
        <>
          <dt className="text-zinc-600">Paid</dt>
          <dd className="text-right tabular-nums text-zinc-900">{money(invoice.amount_paid_cents)}</dd>
          <dt className="font-semibold text-zinc-900">Amount due</dt>
          <dd className="text-right font-semibold tabular-nums text-zinc-900">{money(invoice.amount_due_cents)}</dd>
        </>
      ) : null}
    </dl>
  );
}
