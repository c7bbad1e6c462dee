import { Link, useLocation } from "@remix-run/react";

/** "Which rows of how many" for a paged list (1-based, inclusive). */
export function pageRange(page: number, perPage: number, total: number): { first: number; last: number } {
  return { first: total === 0 ? 0 : (page - 1) * perPage + 1, last: Math.min(total, page * perPage) };
}

/** Previous/next links for a list paged by `?page=`, keeping the other query parameters. */
export function Pager({ page, perPage, total }: { page: number; perPage: number; total: number }) {
  const location = useLocation();
  const { first, last } = pageRange(page, perPage, total);
  const pageHref = (target: number) => {
    const next = new URLSearchParams(location.search);
    next.set("page", String(target));
    return `?${next}`;
  };
  const linkClass = "rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-50";
  return (
    <nav aria-label="Pages" className="flex items-center justify-between border-t border-zinc-100 px-4 py-3 text-sm">
      <p className="text-zinc-600">
        {first}–{last} of {total}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={linkClass} to={pageHref(page - 1)} rel="prev">
            Previous
          </Link>
        ) : null}
        {last < total ? (
          <Link className={linkClass} to={pageHref(page + 1)} rel="next">
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
