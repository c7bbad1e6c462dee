import {
  BarChart3,
  Bell,
  Briefcase,
  Clock,
  FileText,
  KanbanSquare,
  ListTodo,
  LayoutDashboard,
  Settings,
  Users,
  type LucideIcon,
} from "lucide-react";
import type { AgencyRole } from "#db/schema.ts";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** Roles that see the item; all when omitted. */
  roles?: AgencyRole[];
  /** Shows the unread notifications count next to the label. */
  showsUnread?: boolean;
}

export const navItems: NavItem[] = [
  { to: "/", label: "Dashboard", icon: LayoutDashboard },
  { to: "/clients", label: "Clients", icon: Users },
  { to: "/pipeline", label: "Pipeline", icon: KanbanSquare },
  { to: "/projects", label: "Projects", icon: Briefcase },
  { to: "/my-tasks", label: "My tasks", icon: ListTodo },
  { to: "/time", label: "Time", icon: Clock },
  { to: "/invoices", label: "Invoices", icon: FileText, roles: ["owner", "manager"] },
  { to: "/reports", label: "Reports", icon: BarChart3 },
  { to: "/notifications", label: "Notifications", icon: Bell, showsUnread: true },
  { to: "/settings", label: "Settings", icon: Settings },
];
