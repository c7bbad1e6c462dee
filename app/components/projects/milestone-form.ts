import { z } from "zod";
import { amount, isoDate, optional } from "./project-form.ts";

/** The milestones tab's forms. Amounts are converted in the project's currency by the action. */
const milestoneFields = {
  title: z.string({ error: "Enter a title." }).trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
  description: optional(z.string().trim().max(10_000, "Use at most 10,000 characters.")),
  due_date: optional(isoDate),
  amount,
};

export const MilestoneAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), ...milestoneFields }),
  z.object({ intent: z.literal("update"), milestone_id: z.uuid(), ...milestoneFields }),
  z.object({
    intent: z.literal("status"),
    milestone_id: z.uuid(),
    status: z.enum(["pending", "reached", "approved"], { error: "Choose pending, reached or approved." }),
  }),
  z.object({ intent: z.literal("delete"), milestone_id: z.uuid() }),
]);
