import { expect } from "vitest";
import { session, type BrowserSession } from "./browser-like.ts";
import { randomClientIp } from "./client-ip.ts";
import { addMember, adminSql, PASSWORD, signUp, type ApiResponse, type http, type SignedUp } from "./http.ts";

/**
 * Fixtures for the projects, tasks, milestones and notifications API tests: an agency with an
 * owner, a manager, two members and a client, a stranger agency, and row counts that prove a
 * refused request wrote nothing.
 */
type Request = ReturnType<typeof http>;
export type Member = Awaited<ReturnType<typeof addMember>>;
export type Actor = { access_token: string };

export const NIL_UUID = "00000000-0000-4000-8000-000000000000";

export function apiAs(request: Request) {
  return (as: Actor, path: string, options: { method?: string; body?: unknown } = {}) =>
    request(path, { ...options, token: as.access_token });
}

export interface Agency {
  owner: SignedUp;
  manager: Member;
  member: Member;
  colleague: Member;
  clientId: string;
}

/** An agency with an owner, a manager, two members (member, colleague) and one client. */
export async function agencyWithTeam(request: Request, prefix: string): Promise<Agency> {
  const owner = await signUp(request, `${prefix}-owner`);
  const [manager, member, colleague] = await Promise.all([
    addMember(request, owner, "manager", `${prefix}-manager`),
    addMember(request, owner, "member", `${prefix}-member`),
    addMember(request, owner, "member", `${prefix}-colleague`),
  ]);
  const client = await request("/api/clients", {
    token: owner.access_token,
    body: { name: `${prefix} Client`, currency: "EUR" },
  });
  if (client.status !== 201) throw new Error(`client not created: ${client.status} ${JSON.stringify(client.body)}`);
  return { owner, manager, member, colleague, clientId: client.body.data.id };
}

/** Creates through the API and fails loudly, so a broken fixture is not mistaken for a finding. */
export async function created<T = any>(response: Promise<ApiResponse>, status = 201): Promise<T> {
  const answered = await response;
  if (answered.status !== status) {
    throw new Error(`expected ${status}, got ${answered.status}: ${JSON.stringify(answered.body)}`);
  }
  return answered.body.data as T;
}

export interface ProjectCounts {
  projects: number;
  project_members: number;
  tasks: number;
  task_dependencies: number;
  task_comments: number;
  milestones: number;
  notifications: number;
  audit_log: number;
}

/** Row counts of one agency's project tables, read with admin rights. */
export async function projectCounts(agencyId: string): Promise<ProjectCounts> {
  const [row] = await adminSql()<ProjectCounts[]>`
    select (select count(*)::int from public.projects where agency_id = ${agencyId}) as projects,
           (select count(*)::int from public.project_members where agency_id = ${agencyId}) as project_members,
           (select count(*)::int from public.tasks where agency_id = ${agencyId}) as tasks,
           (select count(*)::int from public.task_dependencies where agency_id = ${agencyId}) as task_dependencies,
           (select count(*)::int from public.task_comments where agency_id = ${agencyId}) as task_comments,
           (select count(*)::int from public.milestones where agency_id = ${agencyId}) as milestones,
           (select count(*)::int from public.notifications where agency_id = ${agencyId}) as notifications,
           (select count(*)::int from public.audit_log where agency_id = ${agencyId}) as audit_log
  `;
  return row!;
}

/**
 * Runs a request that must be refused and proves it: the status, a problem+json body with the
 * code (and field), and the agency's rows unchanged.
 */
export async function expectRefused(
  agencyId: string,
  run: () => Promise<ApiResponse>,
  expected: { status: number; code: string; field?: string },
): Promise<ApiResponse> {
  const before = await projectCounts(agencyId);
  const response = await run();
  expect(response.status, JSON.stringify(response.body)).toBe(expected.status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(response.body.code, JSON.stringify(response.body)).toBe(expected.code);
  if (expected.field) expect(response.body.errors, JSON.stringify(response.body)).toHaveProperty([expected.field]);
  expect(await projectCounts(agencyId)).toEqual(before);
  return response;
}

/** Tracked time, written as the database owner: time_entries is read-only for users until time tracking. */
export async function logTime(entry: {
  agencyId: string;
  projectId: string;
  userId: string;
  hours: number;
  rateCents: number;
  billable?: boolean;
  date?: string;
}): Promise<void> {
  await adminSql()`
    insert into public.time_entries (agency_id, project_id, user_id, entry_date, duration_seconds,
                                     billable_rate_cents, is_billable)
    values (${entry.agencyId}, ${entry.projectId}, ${entry.userId}, ${entry.date ?? new Date().toISOString().slice(0, 10)},
            ${Math.round(entry.hours * 3600)}, ${entry.rateCents}, ${entry.billable ?? true})`;
}

/** A task's row as stored, for before/after comparisons. */
export async function taskRow(taskId: string) {
  const [row] = await adminSql()`
    select title, status::text, position, assignee_id, start_date::text, due_date::text, priority::text,
           description, updated_at::text
    from public.tasks where id = ${taskId}`;
  return row;
}

/** A browser signed in with a password; each sign-in from its own address (sign-in limits count per IP). */
export async function signedIn(baseUrl: () => string, email: string): Promise<BrowserSession> {
  const browser = session(baseUrl);
  const page = await browser.post(
    "/login",
    { intent: "password", email, password: PASSWORD, next: "/" },
    { headers: { "X-Forwarded-For": randomClientIp() } },
  );
  if (page.status !== 302) throw new Error(`sign-in of ${email} failed: ${page.status}`);
  return browser;
}

export interface PageState {
  loaderData: Record<string, any>;
  actionData: Record<string, any> | null;
  errors: Record<string, any> | null;
}

/**
 * The data a server-rendered page hands to the browser (window.__remixContext): loader and
 * action data by route id, and route errors. Asserting on it beats scraping markup that another
 * change may restyle; the markup is checked where the words matter.
 */
export function pageState(html: string): PageState {
  // Remix escapes "<" inside the JSON, so the first ";</script>" ends it.
  const json = /window\.__remixContext = ([\s\S]*?);<\/script>/.exec(html)?.[1];
  if (!json) throw new Error(`not a Remix page: ${html.slice(0, 200)}`);
  return (JSON.parse(json) as { state: PageState }).state;
}
