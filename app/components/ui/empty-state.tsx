import type { ReactNode } from "react";

/** What a screen shows before it has data: what it is for and the first step to take. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
      <div
        className="mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-brand/10 text-brand"
        aria-hidden="true"
      >
        {icon}
      </div>
      <h2 className="text-lg font-semibold text-zinc-900">{title}</h2>
      <div className="mt-2 text-sm text-zinc-600">{children}</div>
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}
