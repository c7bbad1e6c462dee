import { z } from "zod";
import { amount } from "./project-form.ts";

/** The team tab's forms: add someone (optionally with a project rate), change a rate, remove. */
export const TeamAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), user_id: z.uuid({ error: "Choose a person." }), rate: amount }),
  z.object({ intent: z.literal("rate"), user_id: z.uuid(), rate: amount }),
  z.object({ intent: z.literal("remove"), user_id: z.uuid() }),
]);
