import { Outlet } from "@remix-run/react";

/** /projects (the list) and /projects/:id share the Projects nav entry. */
export default function ProjectsLayout() {
  return <Outlet />;
}
