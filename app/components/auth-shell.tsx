import type { ReactNode } from "react";

/** The frame of the signed-out pages: product (or agency) mark, a title, one card. */
export function AuthShell({
  title,
  subtitle,
  children,
  footer,
  brand,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  brand?: { name: string; logoUrl?: string | null; color?: string | null };
}) {
  return (
    <main
      className="flex min-h-full flex-col items-center justify-center px-4 py-12"
      style={brand?.color ? ({ "--brand-rgb": hexToRgb(brand.color) } as React.CSSProperties) : undefined}
    >
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          {brand?.logoUrl ? (
            <img src={brand.logoUrl} alt={brand.name} className="h-10 w-auto" />
          ) : (
            <>
              <span
                aria-hidden="true"
                className="flex h-9 w-9 items-center justify-center rounded-lg bg-brand text-lg font-bold text-white"
              >
                {(brand?.name ?? "A").charAt(0).toUpperCase()}
              </span>
              <span className="text-lg font-semibold">{brand?.name ?? "Agency CRM"}</span>
            </>
          )}
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8">
          <h1 className="text-xl font-semibold text-zinc-900">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-zinc-600">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-sm text-zinc-600">{footer}</div> : null}
      </div>
    </main>
  );
}

/** "#4f46e5" → "79 70 229", the form Tailwind's `brand` colour reads from --brand-rgb. */
export function hexToRgb(hex: string): string {
  const value = Number.parseInt(hex.replace("#", ""), 16);
  return `${(value >> 16) & 255} ${(value >> 8) & 255} ${value & 255}`;
}
