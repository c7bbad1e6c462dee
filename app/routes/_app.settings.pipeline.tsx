import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ArrowDown, ArrowUp, Trash2 } from "lucide-react";
import { z } from "zod";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { createStage, deleteStage, listStages, updateStages, type Stage } from "#app/models/pipeline.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure, type FormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Pipeline stages · Settings · Agency CRM" }];

const stageName = z.string().trim().min(1, "Name the stage.").max(60, "Use at most 60 characters.");
const probability = z.coerce
  .number({ error: "Enter a probability from 0 to 100." })
  .int("Use a whole percentage.")
  .min(0, "Use 0 to 100.")
  .max(100, "Use 0 to 100.");

const StageForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), name: stageName, default_probability: probability }),
  // Won and lost stages have a fixed probability, so their form sends the name only.
  z.object({
    intent: z.literal("update"),
    stage_id: uuid,
    name: stageName,
    default_probability: probability.optional(),
  }),
  z.object({ intent: z.literal("remove"), stage_id: uuid }),
  z.object({ intent: z.enum(["up", "down"]), stage_id: uuid }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  return { stages: await listStages({ claims: viewer.claims, agencyId }) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const form = await parseForm(request, StageForm);
  if (!form.ok) return form.response;
  const input = form.data;
  const claims = viewer.claims;
  try {
    let message: string;
    switch (input.intent) {
      case "add":
        await createStage({ claims, agencyId, name: input.name, defaultProbability: input.default_probability });
        message = `Stage “${input.name}” added before Won.`;
        break;
      case "update":
        await updateStages({
          claims,
          agencyId,
          changes: [
            {
              id: input.stage_id,
              name: input.name,
              ...(input.default_probability !== undefined && { default_probability: input.default_probability }),
            },
          ],
        });
        message = "Stage saved. Existing deals keep their probability.";
        break;
      case "remove":
        await deleteStage({ claims, stageId: input.stage_id });
        message = "Stage removed.";
        break;
      case "up":
      case "down": {
        const open = (await listStages({ claims, agencyId })).filter((s) => s.kind === "open").map((s) => s.id);
        const from = open.indexOf(input.stage_id);
        const to = input.intent === "up" ? from - 1 : from + 1;
        if (from < 0 || to < 0 || to >= open.length) return redirect("/settings/pipeline");
        [open[from], open[to]] = [open[to]!, open[from]!];
        await updateStages({ claims, agencyId, changes: [], order: open });
        message = "Order saved.";
        break;
      }
    }
    await context.app.toast({ kind: "success", message });
    return redirect("/settings/pipeline");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

/**
 * The board's columns. Open stages can be added, renamed, given another default probability,
 * reordered and removed (the database refuses while deals are in one, and says how many); the won
 * and lost stages always exist, so they can only be renamed.
 */
export default function PipelineSettings() {
  const { stages } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const { active } = useStaff();
  const readOnly = active.role === "member";
  const open = stages.filter((s) => s.kind === "open");
  const closed = stages.filter((s) => s.kind !== "open");
  const addFailure = isFormFailure(failure) && failure.values.intent === "add" ? failure : undefined;
  const rowFailure = (stageId: string) =>
    isFormFailure(failure) && failure.values.intent !== "add" && failure.values.stage_id === stageId
      ? failure
      : undefined;

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <Card>
        <CardHeader
          title="Pipeline stages"
          description={
            readOnly
              ? "Only owners and managers can change the stages."
              : "Columns of the board, in order. New deals take a stage's probability unless you set one."
          }
        />
        <ol className="divide-y divide-zinc-100">
          {open.map((stage, index) => (
            <StageRow
              key={`${stage.id}-${stage.updated_at}`}
              stage={stage}
              index={index}
              count={open.length}
              readOnly={readOnly}
              failure={rowFailure(stage.id)}
            />
          ))}
          {closed.map((stage) => (
            <StageRow
              key={`${stage.id}-${stage.updated_at}`}
              stage={stage}
              index={-1}
              count={open.length}
              readOnly={readOnly}
              failure={rowFailure(stage.id)}
            />
          ))}
        </ol>
      </Card>

      {readOnly ? null : (
        <Card className="h-fit">
          <CardHeader title="Add a stage" description="It goes after the other open stages, before Won." />
          <Form key={open.length} method="post" className="space-y-4 p-5" noValidate>
            <FormError message={addFailure?.formError} />
            <InputField
              label="Name"
              name="name"
              required
              maxLength={60}
              defaultValue={addFailure?.values.name}
              errors={addFailure?.fieldErrors.name}
            />
            <InputField
              label="Default probability (%)"
              name="default_probability"
              type="number"
              min={0}
              max={100}
              required
              defaultValue={addFailure?.values.default_probability ?? "50"}
              errors={addFailure?.fieldErrors.default_probability}
            />
            <Button
              type="submit"
              className="w-full"
              pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "add"}
            >
              Add stage
            </Button>
            <input type="hidden" name="intent" value="add" />
          </Form>
        </Card>
      )}
    </div>
  );
}

function StageRow({
  stage,
  index,
  count,
  readOnly,
  failure,
}: {
  stage: Stage;
  /** Place among the open stages; -1 for won and lost. */
  index: number;
  count: number;
  readOnly: boolean;
  failure?: FormFailure;
}) {
  const isOpen = stage.kind === "open";
  const values = failure?.values.intent === "update" ? failure.values : undefined;
  const message = failure?.formError;
  return (
    <li className="px-5 py-4">
      <div className="flex flex-wrap items-end gap-3">
        <span className="mb-2 hidden w-6 text-right text-sm tabular-nums text-zinc-400 sm:block" aria-hidden="true">
          {isOpen ? index + 1 : ""}
        </span>
        <Form method="post" className="flex min-w-0 flex-1 basis-full flex-wrap items-end gap-3 sm:basis-0" noValidate>
          <fieldset disabled={readOnly} className="contents">
            <legend className="sr-only">Stage {stage.name}</legend>
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="stage_id" value={stage.id} />
            <InputField
              label="Name"
              name="name"
              required
              maxLength={60}
              defaultValue={values?.name ?? stage.name}
              errors={failure?.fieldErrors.name}
              className="w-full sm:w-auto sm:min-w-40 sm:flex-1"
            />
            {isOpen ? (
              <InputField
                label="Probability (%)"
                name="default_probability"
                type="number"
                min={0}
                max={100}
                required
                defaultValue={values?.default_probability ?? String(stage.default_probability)}
                errors={failure?.fieldErrors.default_probability}
                className="w-32"
              />
            ) : (
              <div className="w-32 space-y-1.5">
                <span className="block text-sm font-medium text-zinc-800">Probability</span>
                <p className="py-2 text-sm text-zinc-600">
                  {stage.default_probability} %{" "}
                  <Badge tone={stage.kind === "won" ? "green" : "red"}>{stage.kind}</Badge>
                </p>
              </div>
            )}
            {readOnly ? null : (
              <Button type="submit" size="sm" variant="secondary" className="mb-1">
                Save
              </Button>
            )}
          </fieldset>
        </Form>
        {isOpen && !readOnly ? (
          <Form method="post" className="mb-1 ml-auto flex w-32 justify-end gap-1 sm:ml-0">
            <input type="hidden" name="stage_id" value={stage.id} />
            <Button
              type="submit"
              name="intent"
              value="up"
              size="sm"
              variant="ghost"
              disabled={index === 0}
              className="disabled:opacity-30"
              aria-label={`Move ${stage.name} up`}
            >
              <ArrowUp className="h-4 w-4" aria-hidden="true" />
            </Button>
            <Button
              type="submit"
              name="intent"
              value="down"
              size="sm"
              variant="ghost"
              disabled={index === count - 1}
              className="disabled:opacity-30"
              aria-label={`Move ${stage.name} down`}
            >
              <ArrowDown className="h-4 w-4" aria-hidden="true" />
            </Button>
            <Button
              type="submit"
              name="intent"
              value="remove"
              size="sm"
              variant="ghost"
              className="text-red-700 hover:bg-red-50"
              aria-label={`Remove ${stage.name}`}
            >
              <Trash2 className="h-4 w-4" aria-hidden="true" />
            </Button>
          </Form>
        ) : (
          // Keeps the name and probability columns aligned with the open stages' rows.
          <div className="hidden w-32 sm:block" aria-hidden="true" />
        )}
      </div>
      {message ? (
        <div className="mt-2 sm:ml-9">
          <FormError message={message} />
        </div>
      ) : null}
    </li>
  );
}
