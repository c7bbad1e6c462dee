import type { ReactNode } from "react";

/** A block of the task panel, titled unless its one control names it (the status). */
export function Section({ title, children }: { title?: string; children: ReactNode }) {
  if (!title) return <div className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">{children}</div>;
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">
      <h3 id={id} className="mb-3 text-sm font-semibold text-zinc-900">
        {title}
      </h3>
      {children}
    </section>
  );
}
