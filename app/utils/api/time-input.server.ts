import type { z } from "zod";
import type { EntryChanges, NewEntry } from "#app/models/time-entries.server.ts";
import { AppError, fromDatabaseError } from "../errors.server.ts";
import type { TimeEntryCreateBody, TimeEntryPatchBody } from "./schemas.ts";

/** API bodies of time entries → the model's input. The API says `date`; the column is entry_date. */
export function toNewEntry(body: z.output<typeof TimeEntryCreateBody>): NewEntry {
  const { started_at, ended_at, date, duration_seconds, ...rest } = body;
  // The schema has checked that exactly one of the two forms is complete.
  return started_at !== undefined && ended_at !== undefined
    ? { ...rest, started_at, ended_at }
    : { ...rest, date: date!, duration_seconds: duration_seconds! };
}

export function toEntryChanges(body: z.output<typeof TimeEntryPatchBody>): EntryChanges {
  const { date, ...rest } = body;
  return { ...rest, ...(date !== undefined && { entry_date: date }) };
}

/**
 * Runs a time write and names the fields of its refusal as the API does (`date` for the
 * entry_date column), so a client can put the message next to what it sent.
 */
export async function withTimeFieldNames<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const refusal = error instanceof AppError ? error : fromDatabaseError(error);
    if (!refusal?.fieldErrors.entry_date) throw error;
    const { entry_date, ...others } = refusal.fieldErrors;
    throw new AppError(refusal.status, refusal.code, refusal.message, { ...others, date: entry_date }, refusal.extra);
  }
}
