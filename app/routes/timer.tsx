import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { TimerAction, type TimerActionInput } from "#app/components/time/forms.ts";
import { zonedToInstant } from "#app/components/time/zoned.ts";
import { getAccount } from "#app/models/account.server.ts";
import { trackableProjects } from "#app/models/time-entries.server.ts";
import { discardTimer, getTimer, startTimer, stopTimer, updateTimer } from "#app/models/timer.server.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";
import { requireStaff, safeNext } from "#app/utils/auth/guards.server.ts";
import type { JwtClaims } from "#app/utils/db.server.ts";
import { formatDuration } from "#app/utils/durations.ts";
import { AppError, validationError } from "#app/utils/errors.server.ts";
import type { FormFailure } from "#app/utils/forms.ts";

/**
 * The running timer of the header (a resource route: no page of its own).
 * GET → { timer, projects }: the Start form loads the projects only when it opens.
 * POST intent=start|stop|stop_at|discard|update. A fetcher sends respond=json and gets
 * { ok, message } or a form failure; a plain form (no JavaScript) is redirected back to the page it
 * came from with a toast. A refused stop leaves the timer running (the database's rule).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const [timer, projects] = await Promise.all([
    getTimer({ claims: viewer.claims, agencyId }),
    trackableProjects({ claims: viewer.claims, agencyId }),
  ]);
  return json({ timer, projects }, { headers: { "Cache-Control": "private, no-store" } });
}

export type TimerResult =
  | { ok: true; intent: TimerActionInput["intent"]; message: string; date: string | null }
  | (FormFailure & { ok: false; code: string });

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const formData = await request.formData();
  const values = Object.fromEntries(
    [...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const asJson = values.respond === "json";
  const back = safeNext(values.redirect_to, "/time/day");

  const fail = async (error: unknown) => {
    if (error instanceof Response) throw error;
    const appError = toAppError(error);
    if (!asJson) {
      await context.app.toast({ kind: "error", message: appError.message });
      return redirect(back);
    }
    const { _: general, ...fieldErrors } = appError.fieldErrors;
    const body: TimerResult = {
      ok: false,
      code: appError.code,
      formError: Object.keys(fieldErrors).length > 0 ? general?.join(" ") : (general?.join(" ") ?? appError.message),
      fieldErrors,
      values,
    };
    return json(body, { status: appError.status });
  };

  const parsed = TimerAction.safeParse(values);
  if (!parsed.success) return fail(validationError(parsed.error));
  try {
    const result = await run(viewer.claims, agencyId, parsed.data);
    if (!asJson) {
      await context.app.toast({ kind: "success", message: result.message });
      return redirect(back);
    }
    return json({ ok: true, intent: parsed.data.intent, ...result } satisfies TimerResult);
  } catch (error) {
    return fail(error);
  }
}

async function run(
  claims: JwtClaims,
  agencyId: string,
  input: TimerActionInput,
): Promise<{ message: string; date: string | null }> {
  switch (input.intent) {
    case "start": {
      const { timer, stopped } = await startTimer({
        claims,
        agencyId,
        timer: {
          project_id: input.project_id,
          task_id: input.task_id ?? null,
          description: input.description,
          is_billable: input.is_billable,
        },
      });
      const before = stopped.length > 0 ? ` ${loggedText(stopped, "The previous timer was stopped")}` : "";
      return { message: `Timer started on ${timer.project_name}.${before}`, date: stopped[0]?.entry_date ?? null };
    }
    case "stop":
    case "stop_at": {
      const endedAt = input.intent === "stop_at" ? await instantOf(claims, input.ended_at, "ended_at") : undefined;
      const entries = await stopTimer({ claims, agencyId, endedAt });
      return { message: loggedText(entries, "Timer stopped"), date: entries[0]?.entry_date ?? null };
    }
    case "discard":
      await discardTimer({ claims, agencyId });
      return { message: "Timer discarded; no time was logged.", date: null };
    case "update": {
      const startedAt = input.started_at ? await instantOf(claims, input.started_at, "started_at") : undefined;
      await updateTimer({
        claims,
        agencyId,
        changes: {
          project_id: input.project_id,
          task_id: input.task_id ?? null,
          description: input.description,
          is_billable: input.is_billable,
          started_at: startedAt,
        },
      });
      return { message: "Timer updated.", date: null };
    }
  }
}

/** "Timer stopped: 1:15 logged on Website." — the parts of a split entry are one piece of work. */
function loggedText(entries: { duration_seconds: number; project_name: string }[], lead: string): string {
  if (entries.length === 0) return `${lead} within its first second; nothing was logged.`;
  const seconds = entries.reduce((sum, e) => sum + e.duration_seconds, 0);
  const split = entries.length > 1 ? " (split at midnight)" : "";
  const logged = seconds < 60 ? "under a minute" : formatDuration(seconds);
  return `${lead}: ${logged} logged on ${entries[0]?.project_name ?? "the project"}${split}.`;
}

/** A wall-clock time the person typed, in their profile's zone, as an instant. */
async function instantOf(claims: JwtClaims, local: string, field: string): Promise<string> {
  const account = await getAccount({ claims });
  const instant = zonedToInstant(local, account?.profile.timezone ?? "UTC");
  if (!instant) {
    throw new AppError(422, "validation_failed", "Some fields need attention.", {
      [field]: ["Enter a real date and time."],
    });
  }
  return instant.toISOString();
}
