import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { PageHeader } from "./page-header.tsx";
import { EmptyState } from "./ui/empty-state.tsx";

/** The empty state of an area whose feature has not landed yet: what it will do, honestly. */
export function AreaPlaceholder({
  title,
  description,
  icon: Icon,
  emptyTitle,
  children,
}: {
  title: string;
  description: string;
  icon: LucideIcon;
  emptyTitle: string;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState icon={<Icon className="h-6 w-6" />} title={emptyTitle}>
        {children}
      </EmptyState>
    </>
  );
}
