import { Outlet } from "@remix-run/react";

/** /clients/* — the client list, a client's page, new client and CSV import. */
export default function ClientsLayout() {
  return <Outlet />;
}
