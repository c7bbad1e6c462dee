import { Form, Link, NavLink } from "@remix-run/react";
import { Check, ChevronsUpDown, LogOut, Mail, Menu, Plus, UserRound } from "lucide-react";
import type { ReactNode } from "react";
import { Avatar } from "../ui/card.tsx";
import { cn } from "../ui/cn.ts";
import { navItems } from "./nav.ts";
import type { Membership } from "#app/models/account.server.ts";

/**
 * The staff app's frame: navigation, agency switcher, account menu. Menus are <details>
 * elements, so they open with the keyboard and work before (or without) JavaScript.
 */
interface ShellProps {
  profile: { name: string; email: string; avatar_url: string | null };
  memberships: Membership[];
  active: Membership;
  devMailbox: boolean;
  unreadNotifications: number;
  /** The running timer (or its Start button), above every page. */
  timerBar?: ReactNode;
  children: ReactNode;
}

export function AppShell({
  profile,
  memberships,
  active,
  devMailbox,
  unreadNotifications,
  timerBar,
  children,
}: ShellProps) {
  const items = navItems.filter((item) => !item.roles || item.roles.includes(active.role));
  return (
    <div className="min-h-full md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <aside className="hidden w-64 shrink-0 flex-col border-r border-zinc-200 bg-white md:flex">
        <div className="border-b border-zinc-100 p-3">
          <AgencySwitcher memberships={memberships} active={active} />
        </div>
        <nav aria-label="Main" className="flex-1 space-y-0.5 p-3">
          <NavLinks items={items} unread={unreadNotifications} />
        </nav>
        <div className="border-t border-zinc-100 p-3">
          <AccountMenu profile={profile} devMailbox={devMailbox} role={active.role} />
        </div>
      </aside>

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-white px-3 py-2 md:hidden">
          <details className="group relative">
            <summary
              aria-label="Open the menu"
              className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 hover:bg-zinc-100"
            >
              <Menu className="h-5 w-5" aria-hidden="true" />
              <span className="font-semibold">{active.agency_name}</span>
            </summary>
            <nav
              aria-label="Main"
              className="absolute left-0 z-40 mt-2 w-64 space-y-0.5 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg"
            >
              <NavLinks items={items} unread={unreadNotifications} />
            </nav>
          </details>
          <AccountMenu profile={profile} devMailbox={devMailbox} role={active.role} compact />
        </header>
        {timerBar ? (
          <div className="z-30 border-b border-zinc-200 bg-white px-3 py-2 sm:px-6 md:sticky md:top-0 lg:px-8">
            {timerBar}
          </div>
        ) : null}
        <main id="main" className="flex-1 px-4 py-6 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}

function NavLinks({ items, unread }: { items: typeof navItems; unread: number }) {
  return (
    <>
      {items.map(({ to, label, icon: Icon, showsUnread }) => (
        <NavLink
          key={to}
          to={to}
          end={to === "/"}
          prefetch="intent"
          className={({ isActive }) =>
            cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100",
              isActive && "bg-brand/10 text-brand hover:bg-brand/10",
            )
          }
        >
          <Icon className="h-4 w-4" aria-hidden="true" />
          <span className="flex-1">{label}</span>
          {showsUnread && unread > 0 ? (
            <span className="rounded-full bg-brand px-2 py-0.5 text-xs font-semibold text-white">
              {unread > 99 ? "99+" : unread}
              <span className="sr-only"> unread</span>
            </span>
          ) : null}
        </NavLink>
      ))}
    </>
  );
}

function AgencySwitcher({ memberships, active }: { memberships: Membership[]; active: Membership }) {
  return (
    <details className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md p-2 hover:bg-zinc-100">
        {active.logo_url ? (
          <img src={active.logo_url} alt="" className="h-8 w-8 rounded-md object-contain" />
        ) : (
          <span
            aria-hidden="true"
            className="flex h-8 w-8 items-center justify-center rounded-md bg-brand text-sm font-bold text-white"
          >
            {active.agency_name.charAt(0).toUpperCase()}
          </span>
        )}
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-semibold">{active.agency_name}</span>
          <span className="block text-xs capitalize text-zinc-500">{active.role}</span>
        </span>
        <ChevronsUpDown className="h-4 w-4 text-zinc-400" aria-hidden="true" />
        <span className="sr-only">Switch agency</span>
      </summary>
      <div className="absolute left-0 right-0 z-40 mt-1 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
        <Form method="post" action="/switch-agency">
          <p className="px-2 py-1 text-xs font-medium uppercase tracking-wide text-zinc-500">Your agencies</p>
          {memberships.map((m) => (
            <button
              key={m.agency_id}
              name="agency_id"
              value={m.agency_id}
              className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100"
              aria-current={m.agency_id === active.agency_id ? "true" : undefined}
            >
              <span className="min-w-0 flex-1 truncate">{m.agency_name}</span>
              {m.agency_id === active.agency_id ? <Check className="h-4 w-4 text-brand" aria-hidden="true" /> : null}
            </button>
          ))}
        </Form>
        <Link
          to="/onboarding"
          className="mt-1 flex items-center gap-2 rounded-md border-t border-zinc-100 px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
        >
          <Plus className="h-4 w-4" aria-hidden="true" /> New agency
        </Link>
      </div>
    </details>
  );
}

function AccountMenu({
  profile,
  devMailbox,
  role,
  compact,
}: {
  profile: ShellProps["profile"];
  devMailbox: boolean;
  role: Membership["role"];
  compact?: boolean;
}) {
  return (
    <details className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md p-2 hover:bg-zinc-100">
        <Avatar name={profile.name} url={profile.avatar_url} />
        {compact ? (
          <span className="sr-only">Account menu</span>
        ) : (
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium">{profile.name}</span>
            <span className="block truncate text-xs text-zinc-500">{profile.email}</span>
          </span>
        )}
      </summary>
      <div
        className={cn(
          "absolute z-40 w-56 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg",
          compact ? "right-0 mt-1" : "bottom-full left-0 mb-1",
        )}
      >
        <Link
          to="/settings/profile"
          className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-100"
        >
          <UserRound className="h-4 w-4" aria-hidden="true" /> Your profile
        </Link>
        {devMailbox && role !== "member" ? (
          <a href="/dev/mailbox" className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-100">
            <Mail className="h-4 w-4" aria-hidden="true" /> Dev mailbox
          </a>
        ) : null}
        <Form method="post" action="/logout">
          <button className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm text-zinc-700 hover:bg-zinc-100">
            <LogOut className="h-4 w-4" aria-hidden="true" /> Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}
