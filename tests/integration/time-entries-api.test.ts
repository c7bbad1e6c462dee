import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { apiAs, NIL_UUID, signedIn, type Actor } from "../setup/projects.ts";
import {
  addDays,
  at,
  expectTimeRefused,
  fromNow,
  localToday,
  setTimeZone,
  timeAgency,
  timeCounts,
  type Entry,
  type TimeAgency,
} from "../setup/time.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Time entries over the API: both forms, the midnight split, every rule's stable code, who sees
 * and changes what, and the CSV export (API and staff page). Real now-relative times in a zone
 * set on the profile: frozen time is a pgTAP tool, not an HTTP one.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ZONE = "Europe/Berlin";
const yesterday = () => addDays(localToday(ZONE), -1);
const daysAgo = (n: number) => addDays(localToday(ZONE), -n);

const log = (as: Actor, body: Record<string, unknown>) => api(as, "/api/time-entries", { body });
const patch = (as: Actor, id: string, body: unknown) => api(as, `/api/time-entries/${id}`, { method: "PATCH", body });
const remove = (as: Actor, id: string) => api(as, `/api/time-entries/${id}`, { method: "DELETE" });

async function logged(as: Actor, body: Record<string, unknown>): Promise<Entry[]> {
  const response = await log(as, body);
  if (response.status !== 201)
    throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.data as Entry[];
}

async function loggedOne(as: Actor, body: Record<string, unknown>): Promise<Entry> {
  const [entry] = await logged(as, body);
  return entry!;
}

/** A timed entry of a local day, e.g. timed(day, "09:00", "10:00"). */
async function timed(day: string, from: string, to: string, toDay = day) {
  return { started_at: await at(day, from, ZONE), ended_at: await at(toDay, to, ZONE) };
}

/** Puts one entry on a line of a new draft invoice (as invoicing does), with admin rights. */
async function billOnADraft(entryId: string): Promise<void> {
  await adminSql()`
    with i as (insert into public.invoices (agency_id, client_id, project_id, currency)
               select p.agency_id, p.client_id, p.id, p.currency from public.time_entries e
               join public.projects p on p.id = e.project_id where e.id = ${entryId} returning agency_id, id),
         l as (insert into public.invoice_lines (agency_id, invoice_id, kind, description, quantity, unit_price_cents)
               select agency_id, id, 'time', 'Billed', 1, 0 from i returning invoice_id, id)
    update public.time_entries t set invoice_id = l.invoice_id, invoice_line_id = l.id from l where t.id = ${entryId}`;
}

describe("POST /api/time-entries", () => {
  let a: TimeAgency;
  let agencyId: string;

  beforeAll(async () => {
    a = await timeAgency(request, "time-create");
    agencyId = a.owner.agency.id;
  });

  it("logs a timed entry: 201 {data: [entry]} with the local date, zone, rate snapshot and audit row", async () => {
    const day = yesterday();
    const [entry, ...rest] = await logged(a.member, {
      project_id: a.project.id,
      task_id: a.task.id,
      description: "  Wireframes ",
      ...(await timed(day, "09:00", "10:30")),
    });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      user_id: a.member.user_id,
      user_name: "time-create-member person",
      project_id: a.project.id,
      project_name: "time-create project",
      client_name: "time-create Client",
      task_id: a.task.id,
      task_title: "Design",
      description: "Wireframes",
      is_billable: true,
      entry_date: day,
      duration_seconds: 5400,
      status: "draft",
      time_zone: ZONE,
      split_group_id: null,
      invoice_id: null,
      // Rates are for owners and managers.
      billable_rate_cents: null,
    });
    expect(entry!.started_at).toBe(await at(day, "09:00", ZONE));
    const [audit] = await adminSql()`
      select action, actor_id from public.audit_log where table_name = 'time_entries' and row_id = ${entry!.id}`;
    expect(audit).toEqual({ action: "insert", actor_id: a.member.user_id });
  });

  it("logs a date + duration entry; billable defaults from the project, can be overridden", async () => {
    await adminSql()`update public.projects set time_billable_default = false where id = ${a.otherProject.id}`;
    const [manual] = await logged(a.member, {
      project_id: a.otherProject.id,
      description: "Call",
      date: daysAgo(2),
      duration_seconds: 1800,
    });
    expect(manual).toMatchObject({
      entry_date: daysAgo(2),
      duration_seconds: 1800,
      started_at: null,
      ended_at: null,
      is_billable: false,
      task_id: null,
    });
    const [billable] = await logged(a.member, {
      project_id: a.otherProject.id,
      description: "Billable call",
      is_billable: true,
      date: daysAgo(2),
      duration_seconds: 600,
    });
    expect(billable!.is_billable).toBe(true);
  });

  it("splits an entry across the member's midnight into two entries sharing a split group", async () => {
    const first = daysAgo(4);
    const second = daysAgo(3);
    const parts = await logged(a.colleague, {
      project_id: a.project.id,
      description: "Release night",
      ...(await timed(first, "22:00", "02:00", second)),
    });
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => [p.entry_date, p.duration_seconds])).toEqual([
      [first, 7200],
      [second, 7200],
    ]);
    expect(parts[0]!.ended_at).toBe(await at(second, "00:00", ZONE));
    expect(parts[1]!.started_at).toBe(await at(second, "00:00", ZONE));
    expect(parts[0]!.split_group_id).toEqual(expect.any(String));
    expect(parts[1]!.split_group_id).toBe(parts[0]!.split_group_id);
    expect(new Set(parts.map((p) => p.description))).toEqual(new Set(["Release night"]));
  });

  it("the same instants split elsewhere in another member zone (the zone is the member's)", async () => {
    // 22:00–02:00 in Berlin is morning in Tokyo: one part, on the Tokyo date.
    await setTimeZone([a.manager.user_id], "Asia/Tokyo");
    const parts = await logged(a.manager, {
      project_id: a.project.id,
      description: "Seen from Tokyo",
      ...(await timed(daysAgo(4), "22:00", "02:00", daysAgo(3))),
    });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ time_zone: "Asia/Tokyo", entry_date: daysAgo(3), duration_seconds: 14400 });
    await setTimeZone([a.manager.user_id], ZONE);
  });

  describe("every rule's refusal is a 422 with its code, and writes nothing", () => {
    const refuse = (
      body: Record<string, unknown>,
      expected: { code: string; field?: string; status?: number },
      as?: Actor,
    ) => expectTimeRefused(agencyId, () => log(as ?? a.member, body), { status: 422, ...expected });

    it("future_entry: ending in the future, or a date after today", async () => {
      await refuse(
        { project_id: a.project.id, description: "Tomorrow", started_at: fromNow(-600), ended_at: fromNow(3600) },
        { code: "future_entry", field: "ended_at" },
      );
      await refuse(
        { project_id: a.project.id, description: "Later", date: addDays(localToday(ZONE), 1), duration_seconds: 600 },
        { code: "future_entry", field: "date" },
      );
    });

    it("entry_too_long: more than 12 hours in one part", async () => {
      await refuse(
        { project_id: a.project.id, description: "Marathon", ...(await timed(daysAgo(6), "08:00", "20:00:01")) },
        { code: "entry_too_long", field: "ended_at" },
      );
      const manual = await refuse(
        { project_id: a.project.id, description: "Marathon", date: daysAgo(6), duration_seconds: 43_201 },
        { code: "entry_too_long", field: "duration_seconds" },
      );
      expect(manual.body.detail).toMatch(/12 hours \(this one is 12 h 00 min\)/);
    });

    it("day_over_24h: a local day holds at most 24 hours", async () => {
      const day = daysAgo(7);
      await logged(a.member, { project_id: a.project.id, description: "Half", date: day, duration_seconds: 43_200 });
      await logged(a.member, {
        project_id: a.project.id,
        description: "Other half",
        date: day,
        duration_seconds: 43_200,
      });
      const response = await refuse(
        { project_id: a.project.id, description: "One more", date: day, duration_seconds: 60 },
        { code: "day_over_24h", field: "duration_seconds" },
      );
      expect(response.body.detail).toMatch(/24 h 01 min/);
    });

    it("overlap: names the entry in the way (conflicting_entry_id)", async () => {
      const day = daysAgo(8);
      const [first] = await logged(a.member, {
        project_id: a.project.id,
        description: "First",
        ...(await timed(day, "09:00", "10:00")),
      });
      const response = await refuse(
        { project_id: a.otherProject.id, description: "Second", ...(await timed(day, "09:30", "10:30")) },
        { code: "overlap", field: "started_at" },
      );
      expect(response.body.conflicting_entry_id).toBe(first!.id);
      expect(response.body.detail).toMatch(/time-create project/);
      // Touching is not overlapping.
      await logged(a.member, {
        project_id: a.project.id,
        description: "Right after",
        ...(await timed(day, "10:00", "10:15")),
      });
    });

    it("project_not_open, not_on_project_team, task_not_in_project", async () => {
      const times = await timed(daysAgo(9), "09:00", "10:00");
      await refuse(
        { project_id: a.heldProject.id, description: "x", ...times },
        { code: "project_not_open", field: "project_id" },
      );
      // The owner belongs to the agency, not to this team.
      await refuse(
        { project_id: a.project.id, description: "x", ...times },
        { code: "not_on_project_team", field: "project_id" },
        a.owner,
      );
      // Another agency's project (or an unknown one) reads the same: nothing about it leaks.
      await refuse(
        { project_id: a.theirProject.id, description: "x", ...times },
        { code: "not_on_project_team", field: "project_id" },
      );
      await refuse(
        { project_id: NIL_UUID, description: "x", ...times },
        { code: "not_on_project_team", field: "project_id" },
      );
      await refuse(
        { project_id: a.project.id, task_id: a.otherTask.id, description: "x", ...times },
        { code: "task_not_in_project", field: "task_id" },
      );
    });

    it("validation_failed: malformed or incomplete bodies", async () => {
      const times = await timed(daysAgo(9), "09:00", "10:00");
      const base = { project_id: a.project.id, description: "x" };
      for (const [body, field] of [
        [{ description: "x", ...times }, "project_id"],
        [{ ...base, project_id: "p1", ...times }, "project_id"],
        [{ project_id: a.project.id, ...times }, "description"],
        [{ ...base, description: "x".repeat(2001), ...times }, "description"],
        [base, "started_at"],
        [{ ...base, started_at: times.started_at }, "ended_at"],
        [{ ...base, ended_at: times.ended_at }, "started_at"],
        [{ ...base, started_at: times.ended_at, ended_at: times.started_at }, "ended_at"],
        [{ ...base, started_at: "2026-11-20T09:00:00", ended_at: times.ended_at }, "started_at"],
        [{ ...base, started_at: "yesterday", ended_at: times.ended_at }, "started_at"],
        [{ ...base, ...times, date: daysAgo(9), duration_seconds: 60 }, "started_at"],
        [{ ...base, date: daysAgo(9) }, "duration_seconds"],
        [{ ...base, duration_seconds: 60 }, "date"],
        [{ ...base, date: "2026-02-30", duration_seconds: 60 }, "date"],
        [{ ...base, date: daysAgo(9), duration_seconds: 0 }, "duration_seconds"],
        [{ ...base, date: daysAgo(9), duration_seconds: 1.5 }, "duration_seconds"],
        [{ ...base, date: daysAgo(9), duration_seconds: "3600" }, "duration_seconds"],
        [{ ...base, is_billable: "yes", ...times }, "is_billable"],
        [{ ...base, task_id: "t", ...times }, "task_id"],
      ] as const) {
        await refuse(body, { code: "validation_failed", field });
      }
      const unknown = await refuse({ ...base, ...times, user_id: a.colleague.user_id }, { code: "validation_failed" });
      expect(JSON.stringify(unknown.body.errors)).toContain("user_id");
    });

    it("400 for broken JSON, 415 for a form body", async () => {
      await expectTimeRefused(
        agencyId,
        () =>
          request("/api/time-entries", {
            token: a.member.access_token,
            rawBody: "{",
            headers: { "Content-Type": "application/json" },
          }),
        { status: 400, code: "invalid_json" },
      );
      await expectTimeRefused(
        agencyId,
        () =>
          request("/api/time-entries", {
            token: a.member.access_token,
            rawBody: "a=b",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          }),
        { status: 415, code: "unsupported_media_type" },
      );
    });

    it("401 without a token; another agency via X-Agency-Id is 403", async () => {
      const times = await timed(daysAgo(9), "09:00", "10:00");
      const before = await timeCounts(agencyId);
      const anonymous = await request("/api/time-entries", {
        body: { project_id: a.project.id, description: "x", ...times },
      });
      expect(anonymous.status).toBe(401);
      const elsewhere = await request("/api/time-entries", {
        token: a.stranger.access_token,
        agencyId,
        body: { project_id: a.project.id, description: "x", ...times },
      });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.code).toBe("agency_forbidden");
      expect(await timeCounts(agencyId)).toEqual(before);
    });
  });
});

describe("GET /api/time-entries and GET /api/time-entries/:id", () => {
  let a: TimeAgency;
  let mine: Entry;
  let colleagues: Entry;
  let theirs: Entry;

  beforeAll(async () => {
    a = await timeAgency(request, "time-list");
    mine = await loggedOne(a.member, {
      project_id: a.project.id,
      description: "Mine",
      ...(await timed(daysAgo(2), "09:00", "10:00")),
    });
    await logged(a.member, {
      project_id: a.otherProject.id,
      description: "Mine, other project",
      is_billable: false,
      date: daysAgo(3),
      duration_seconds: 1200,
    });
    await logged(a.member, {
      project_id: a.project.id,
      description: "Mine, last week",
      date: daysAgo(10),
      duration_seconds: 600,
    });
    colleagues = await loggedOne(a.colleague, {
      project_id: a.project.id,
      description: "Colleague's",
      ...(await timed(daysAgo(2), "09:00", "11:00")),
    });
    theirs = await loggedOne(a.stranger, {
      project_id: a.theirProject.id,
      description: "Theirs",
      date: daysAgo(2),
      duration_seconds: 600,
    });
  });

  it("a member lists their own entries, filtered and paginated", async () => {
    const all = await api(a.member, "/api/time-entries");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1 });
    expect(all.body.data.map((e: Entry) => e.description)).toEqual(["Mine, last week", "Mine, other project", "Mine"]);
    const range = await api(a.member, `/api/time-entries?from=${daysAgo(3)}&to=${daysAgo(2)}`);
    expect(range.body.data.map((e: Entry) => e.description)).toEqual(["Mine, other project", "Mine"]);
    const project = await api(a.member, `/api/time-entries?project_id=${a.otherProject.id}`);
    expect(project.body.data.map((e: Entry) => e.description)).toEqual(["Mine, other project"]);
    const billable = await api(a.member, "/api/time-entries?billable=false");
    expect(billable.body.data.map((e: Entry) => e.description)).toEqual(["Mine, other project"]);
    const drafts = await api(a.member, "/api/time-entries?status=draft&per_page=2&page=2");
    expect(drafts.body).toMatchObject({ total: 3, page: 2, per_page: 2 });
    expect(drafts.body.data.map((e: Entry) => e.description)).toEqual(["Mine"]);
    const approved = await api(a.member, "/api/time-entries?status=approved");
    expect(approved.body).toMatchObject({ total: 0, data: [] });
    const own = await api(a.member, `/api/time-entries?user_id=${a.member.user_id}`);
    expect(own.body.total).toBe(3);
  });

  it("owners and managers list everyone's, with rates; members asking for someone else: 403", async () => {
    const all = await api(a.manager, `/api/time-entries?from=${daysAgo(2)}&to=${daysAgo(2)}`);
    expect(all.body.data.map((e: Entry) => e.description).sort()).toEqual(["Colleague's", "Mine"]);
    expect(all.body.data.every((e: Entry) => typeof e.billable_rate_cents === "number")).toBe(true);
    const colleague = await api(a.owner, `/api/time-entries?user_id=${a.colleague.user_id}`);
    expect(colleague.body.data.map((e: Entry) => e.id)).toEqual([colleagues.id]);
    const refused = await api(a.member, `/api/time-entries?user_id=${a.colleague.user_id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");
  });

  it("never shows another agency's entries", async () => {
    for (const as of [a.owner, a.manager]) {
      const all = await api(as, `/api/time-entries?user_id=${a.stranger.user.id}`);
      expect(all.body).toMatchObject({ total: 0, data: [] });
    }
    const everything = await api(a.owner, "/api/time-entries?per_page=100");
    expect(everything.body.data.map((e: Entry) => e.id)).not.toContain(theirs.id);
    const theirList = await api(a.stranger, "/api/time-entries");
    expect(theirList.body.data.map((e: Entry) => e.id)).toEqual([theirs.id]);
  });

  it("reads one entry: own, or anyone's for managers; 404 for a colleague's, another agency's or an unknown one", async () => {
    const one = await api(a.member, `/api/time-entries/${mine.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: mine.id, description: "Mine", billable_rate_cents: null });
    const asManager = await api(a.manager, `/api/time-entries/${mine.id}`);
    expect(asManager.body.data.billable_rate_cents).toEqual(expect.any(Number));
    for (const [as, id] of [
      [a.member, colleagues.id],
      [a.owner, theirs.id],
      [a.stranger, mine.id],
      [a.owner, NIL_UUID],
    ] as const) {
      const response = await api(as, `/api/time-entries/${id}`);
      expect(response.status, `${id}`).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    expect((await api(a.owner, "/api/time-entries/nope")).status).toBe(422);
  });

  it("refuses malformed filters with 422", async () => {
    for (const query of [
      "from=yesterday",
      `from=${daysAgo(1)}&to=${daysAgo(2)}`,
      "status=done",
      "billable=yes",
      "user_id=me",
      "per_page=101",
      "colour=red",
    ]) {
      const response = await api(a.manager, `/api/time-entries?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.code).toBe("validation_failed");
    }
  });
});

describe("PATCH and DELETE /api/time-entries/:id", () => {
  let a: TimeAgency;
  let agencyId: string;

  beforeAll(async () => {
    a = await timeAgency(request, "time-change");
    agencyId = a.owner.agency.id;
  });

  it("changes project, task, description and billable flag; the project's rate is snapshotted again", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Draft",
      ...(await timed(daysAgo(2), "09:00", "10:00")),
    });
    const response = await patch(a.member, entry!.id, {
      project_id: a.otherProject.id,
      task_id: a.otherTask.id,
      description: "Moved",
      is_billable: false,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toHaveLength(1);
    expect(response.body.data[0]).toMatchObject({
      id: entry!.id,
      project_id: a.otherProject.id,
      task_id: a.otherTask.id,
      description: "Moved",
      is_billable: false,
      duration_seconds: 3600,
    });
    const [audit] = await adminSql()`
      select old_values ->> 'description' as old, new_values ->> 'description' as new from public.audit_log
      where table_name = 'time_entries' and row_id = ${entry!.id} and action = 'update'`;
    expect(audit).toEqual({ old: "Draft", new: "Moved" });
  });

  it("new times across midnight split again: the answer is every part", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Late",
      ...(await timed(daysAgo(4), "21:00", "22:00")),
    });
    const response = await patch(a.member, entry!.id, await timed(daysAgo(4), "23:00", "01:30", daysAgo(3)));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.map((e: Entry) => [e.entry_date, e.duration_seconds])).toEqual([
      [daysAgo(4), 3600],
      [daysAgo(3), 5400],
    ]);
    expect(response.body.data[0].id).toBe(entry!.id);
    expect(response.body.data[1].split_group_id).toBe(response.body.data[0].split_group_id);
  });

  // The tail of a split made by an edit is inserted after the row lost its old time, so an entry
  // moved to start before midnight and end within its old range does not overlap itself.
  it("moves an entry to start before midnight and end within its old range", async () => {
    const entry = await loggedOne(a.member, {
      project_id: a.project.id,
      description: "Early start",
      ...(await timed(daysAgo(13), "00:00", "02:00")),
    });
    const response = await patch(a.member, entry.id, await timed(daysAgo(14), "23:00", "01:00", daysAgo(13)));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(
      response.body.data.map((e: { entry_date: string; duration_seconds: number }) => [
        e.entry_date,
        e.duration_seconds,
      ]),
    ).toEqual([
      [daysAgo(14), 3600],
      [daysAgo(13), 3600],
    ]);
  });

  it("switches between the two forms", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Form",
      ...(await timed(daysAgo(5), "09:00", "10:00")),
    });
    const manual = await patch(a.member, entry!.id, { date: daysAgo(6), duration_seconds: 900 });
    expect(manual.body.data[0]).toMatchObject({
      started_at: null,
      ended_at: null,
      entry_date: daysAgo(6),
      duration_seconds: 900,
    });
    const back = await patch(a.member, entry!.id, await timed(daysAgo(5), "14:00", "14:45"));
    expect(back.body.data[0]).toMatchObject({ entry_date: daysAgo(5), duration_seconds: 2700 });
  });

  it("refuses rule breaks with their codes and changes nothing", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Fixed",
      ...(await timed(daysAgo(7), "09:00", "10:00")),
    });
    const [other] = await logged(a.member, {
      project_id: a.project.id,
      description: "Neighbour",
      ...(await timed(daysAgo(7), "11:00", "12:00")),
    });
    const refuse = (body: unknown, expected: { code: string; field?: string; status?: number }, as: Actor = a.member) =>
      expectTimeRefused(agencyId, () => patch(as, entry!.id, body), { status: 422, ...expected });
    const overlap = await refuse(await timed(daysAgo(7), "09:00", "11:30"), { code: "overlap", field: "started_at" });
    expect(overlap.body.conflicting_entry_id).toBe(other!.id);
    await refuse({ started_at: fromNow(-60), ended_at: fromNow(7200) }, { code: "future_entry", field: "ended_at" });
    await refuse({ date: addDays(localToday(ZONE), 1), duration_seconds: 60 }, { code: "future_entry", field: "date" });
    await refuse(await timed(daysAgo(8), "08:00", "21:00"), { code: "entry_too_long", field: "ended_at" });
    await refuse({ project_id: a.heldProject.id }, { code: "project_not_open", field: "project_id" });
    await refuse({ task_id: a.otherTask.id }, { code: "task_not_in_project", field: "task_id" });
    await refuse({ project_id: a.theirProject.id }, { code: "not_on_project_team", field: "project_id" });
    await refuse({}, { code: "validation_failed" });
    await refuse({ started_at: fromNow(-7200) }, { code: "validation_failed", field: "ended_at" });
    await refuse({ date: daysAgo(7) }, { code: "validation_failed", field: "duration_seconds" });
    await refuse({ is_billable: null }, { code: "validation_failed", field: "is_billable" });
    await refuse({ status: "approved" }, { code: "validation_failed" });
    // Someone else's entry: managers may read it but never edit; colleagues do not even see it.
    await refuse({ description: "Managed" }, { status: 403, code: "forbidden" }, a.manager);
    await refuse({ description: "Hijacked" }, { status: 404, code: "not_found" }, a.colleague);
    await refuse({ description: "Foreign" }, { status: 404, code: "not_found" }, a.stranger);
  });

  it("a day over 24 hours after a change: day_over_24h", async () => {
    const day = daysAgo(9);
    await logged(a.member, { project_id: a.project.id, description: "Long", date: day, duration_seconds: 43_200 });
    const [small] = await logged(a.member, {
      project_id: a.project.id,
      description: "Small",
      date: day,
      duration_seconds: 3600,
    });
    await logged(a.member, { project_id: a.project.id, description: "Long too", date: day, duration_seconds: 36_000 });
    await expectTimeRefused(agencyId, () => patch(a.member, small!.id, { date: day, duration_seconds: 7201 }), {
      status: 422,
      code: "day_over_24h",
      field: "duration_seconds",
    });
  });

  it("deletes own draft time (204, audited); others' time: 403 for managers, 404 for colleagues and strangers", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Oops",
      date: daysAgo(11),
      duration_seconds: 60,
    });
    await expectTimeRefused(agencyId, () => remove(a.manager, entry!.id), { status: 403, code: "forbidden" });
    await expectTimeRefused(agencyId, () => remove(a.colleague, entry!.id), { status: 404, code: "not_found" });
    await expectTimeRefused(agencyId, () => remove(a.stranger, entry!.id), { status: 404, code: "not_found" });
    const response = await remove(a.member, entry!.id);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(await adminSql()`select 1 from public.time_entries where id = ${entry!.id}`).toHaveLength(0);
    const [audit] = await adminSql()`
      select action from public.audit_log where table_name = 'time_entries' and row_id = ${entry!.id} and action = 'delete'`;
    expect(audit).toEqual({ action: "delete" });
    expect((await remove(a.member, entry!.id)).status).toBe(404);
  });

  it("an invoiced entry is locked: PATCH and DELETE answer entry_locked", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Billed",
      date: daysAgo(12),
      duration_seconds: 600,
    });
    await billOnADraft(entry!.id);
    await expectTimeRefused(agencyId, () => patch(a.member, entry!.id, { description: "Rewritten" }), {
      status: 422,
      code: "entry_locked",
    });
    await expectTimeRefused(agencyId, () => remove(a.member, entry!.id), { status: 422, code: "entry_locked" });
  });
});

describe("POST /api/projects/:id/apply-rates", () => {
  let a: TimeAgency;

  beforeAll(async () => {
    a = await timeAgency(request, "time-rates");
  });

  it("managers apply the current rates to unbilled time; members 403, another agency 404", async () => {
    const [entry] = await logged(a.member, {
      project_id: a.project.id,
      description: "Rated",
      date: daysAgo(2),
      duration_seconds: 3600,
    });
    const [billed] = await logged(a.member, {
      project_id: a.project.id,
      description: "Invoiced",
      date: daysAgo(3),
      duration_seconds: 3600,
    });
    await billOnADraft(billed!.id);
    const before = (await api(a.manager, `/api/time-entries/${entry!.id}`)).body.data.billable_rate_cents;
    const rate = await api(a.manager, `/api/projects/${a.project.id}/members`, {
      body: { user_id: a.member.user_id, billable_rate_cents: before + 5000 },
    });
    expect(rate.status).toBe(200);
    // Changing a rate does not rewrite history...
    expect((await api(a.manager, `/api/time-entries/${entry!.id}`)).body.data.billable_rate_cents).toBe(before);

    const agencyId = a.owner.agency.id;
    await expectTimeRefused(agencyId, () => api(a.member, `/api/projects/${a.project.id}/apply-rates`, { body: {} }), {
      status: 403,
      code: "forbidden",
    });
    await expectTimeRefused(
      agencyId,
      () => api(a.stranger, `/api/projects/${a.project.id}/apply-rates`, { body: {} }),
      {
        status: 404,
        code: "not_found",
      },
    );
    await expectTimeRefused(
      agencyId,
      () => api(a.manager, `/api/projects/${a.project.id}/apply-rates`, { body: { from: daysAgo(1), to: daysAgo(2) } }),
      { status: 422, code: "validation_failed", field: "to" },
    );
    const outside = await api(a.manager, `/api/projects/${a.project.id}/apply-rates`, { body: { to: daysAgo(30) } });
    expect(outside.body).toEqual({ data: { updated: 0 } });

    // ...the explicit action does, for unbilled entries only (no body is fine too).
    const applied = await request(`/api/projects/${a.project.id}/apply-rates`, {
      method: "POST",
      token: a.manager.access_token,
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toEqual({ data: { updated: 1 } });
    expect((await api(a.manager, `/api/time-entries/${entry!.id}`)).body.data.billable_rate_cents).toBe(before + 5000);
    expect((await api(a.manager, `/api/time-entries/${billed!.id}`)).body.data.billable_rate_cents).toBe(before);
    const [audit] = await adminSql()`
      select reason from public.audit_log where table_name = 'time_entries' and row_id = ${entry!.id} and action = 'update'`;
    expect(audit!.reason).toMatch(/current rates/);
  });
});

describe("CSV export: GET /api/time-entries/export.csv and /time/export.csv", () => {
  let a: TimeAgency;
  const header =
    "date,member,client,project,task,description,billable,start,end,time_zone,duration_hours,duration_seconds,status";

  beforeAll(async () => {
    a = await timeAgency(request, "time-csv");
    await logged(a.member, {
      project_id: a.project.id,
      task_id: a.task.id,
      description: 'Fix "login", then\nrelease',
      ...(await timed(daysAgo(3), "09:00", "10:30")),
    });
    await logged(a.member, {
      project_id: a.otherProject.id,
      description: "Call, short",
      is_billable: false,
      date: daysAgo(2),
      duration_seconds: 1000,
    });
    await logged(a.colleague, {
      project_id: a.project.id,
      description: "Colleague",
      date: daysAgo(2),
      duration_seconds: 7200,
    });
  });

  const csv = (as: Actor, query = "") => request(`/api/time-entries/export.csv${query}`, { token: as.access_token });

  it("a header row even when nothing matches", async () => {
    const response = await csv(a.member, `?from=${daysAgo(40)}&to=${daysAgo(39)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="time-entries_${daysAgo(40)}_${daysAgo(39)}.csv"`,
    );
    expect(response.body).toBe(`${header}\r\n`);
  });

  it("RFC 4180 rows: quoted commas, quotes and line breaks; local times; hours with two decimals", async () => {
    const response = await csv(a.member);
    expect(response.status).toBe(200);
    const text = response.body as string;
    expect(text.startsWith(`${header}\r\n`)).toBe(true);
    expect(text).toContain('"Fix ""login"", then\nrelease"');
    expect(text).toContain('"Call, short"');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        date: daysAgo(3),
        member: "time-csv-member person",
        client: "time-csv Client",
        project: "time-csv project",
        task: "Design",
        description: 'Fix "login", then\nrelease',
        billable: "yes",
        start: `${daysAgo(3)} 09:00`,
        end: `${daysAgo(3)} 10:30`,
        time_zone: ZONE,
        duration_hours: "1.50",
        duration_seconds: "5400",
        status: "draft",
      },
      {
        date: daysAgo(2),
        member: "time-csv-member person",
        client: "time-csv Client",
        project: "time-csv other",
        task: "",
        description: "Call, short",
        billable: "no",
        start: "",
        end: "",
        time_zone: ZONE,
        duration_hours: "0.28",
        duration_seconds: "1000",
        status: "draft",
      },
    ]);
  });

  it("filters: members their own (someone else's: 403), managers anyone's, by project and billable", async () => {
    const manager = parse((await csv(a.manager, `?project_id=${a.project.id}&billable=true`)).body, {
      columns: true,
    }) as Record<string, string>[];
    expect(manager.map((r) => r.member).sort()).toEqual(["time-csv-colleague person", "time-csv-member person"]);
    const colleague = parse((await csv(a.owner, `?user_id=${a.colleague.user_id}`)).body, { columns: true }) as Record<
      string,
      string
    >[];
    expect(colleague.map((r) => r.description)).toEqual(["Colleague"]);
    const refused = await csv(a.member, `?user_id=${a.colleague.user_id}`);
    expect(refused.status).toBe(403);
    expect((await csv(a.member, "?status=draft")).body.split("\r\n")).toHaveLength(4);
    expect((await csv(a.member, "?billable=maybe")).status).toBe(422);
    expect((await csv(a.stranger, "")).body).toBe(`${header}\r\n`);
    expect((await request("/api/time-entries/export.csv")).status).toBe(401);
  });

  it("the staff page's /time/export.csv is the same file, with the session's agency", async () => {
    const browser = await signedIn(app.url, a.member.email);
    const page = await browser.get(`/time/export.csv?from=${daysAgo(3)}&to=${daysAgo(2)}&project_id=`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(page.headers.get("content-disposition")).toContain(`time-entries_${daysAgo(3)}_${daysAgo(2)}.csv`);
    const api = await csv(a.member, `?from=${daysAgo(3)}&to=${daysAgo(2)}`);
    expect(page.html).toBe(api.body);
    expect((await browser.get(`/time/export.csv?user_id=${a.colleague.user_id}`)).status).toBe(403);
    expect((await browser.get("/time/export.csv?from=soon")).status).toBe(400);
    const manager = await signedIn(app.url, a.manager.email);
    const all = parse((await manager.get(`/time/export.csv?user_id=${a.colleague.user_id}`)).html, { columns: true });
    expect(all).toHaveLength(1);
    const anonymous = await fetch(`${app.url()}/time/export.csv`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
  });

  it("is in /api/openapi.json with the rest of the time API", async () => {
    const doc = (await request("/api/openapi.json")).body;
    for (const [path, method] of [
      ["/api/time-entries", "get"],
      ["/api/time-entries", "post"],
      ["/api/time-entries/export.csv", "get"],
      ["/api/time-entries/{entryId}", "patch"],
      ["/api/time-entries/{entryId}", "delete"],
      ["/api/timer", "get"],
      ["/api/timer/start", "post"],
      ["/api/timer/stop", "post"],
      ["/api/timer", "patch"],
      ["/api/timer", "delete"],
      ["/api/timesheets", "get"],
      ["/api/timesheets/submit", "post"],
      ["/api/timesheets/{timesheetId}/approve", "post"],
      ["/api/timesheets/{timesheetId}/reject", "post"],
      ["/api/timesheets/approvals", "get"],
      ["/api/timesheets/cells", "put"],
      ["/api/projects/{projectId}/apply-rates", "post"],
    ]) {
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
    }
    const body = doc.paths["/api/time-entries"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining([
        "project_id",
        "task_id",
        "description",
        "is_billable",
        "started_at",
        "ended_at",
        "date",
        "duration_seconds",
      ]),
    );
    expect(doc.paths["/api/time-entries/export.csv"].get.responses["200"].content).toHaveProperty(["text/csv"]);
  });
});
