import { Outlet } from "@remix-run/react";

/** /pipeline (the board), /pipeline/new and /pipeline/deals/:id share the Pipeline nav entry. */
export default function PipelineLayout() {
  return <Outlet />;
}
