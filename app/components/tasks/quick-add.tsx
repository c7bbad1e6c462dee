import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { QuickAddDisclosure } from "#app/components/board/quick-add.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { isFormFailure, type FormFailure } from "#app/utils/forms.ts";
import { priorityOptions, statusLabel, type TaskStatus } from "./labels.ts";

export interface PersonOption {
  value: string;
  label: string;
}

/**
 * "Add a task" at the top of a column (managers): title, assignee, priority, due date. A fetcher
 * form, so one column's form leaves the others alone; without JavaScript an ordinary POST. After
 * an add the form stays open and empties, ready for the next task.
 */
export function QuickAdd({
  status,
  team,
  back,
  failure,
  defaultAssignee,
}: {
  status: TaskStatus;
  team: PersonOption[];
  /** Preselected: the person the board is filtered to, so a new task does not vanish from view. */
  defaultAssignee?: string;
  back: string;
  /** A failed no-JavaScript submission for this column (from useActionData). */
  failure?: FormFailure;
}) {
  const fetcher = useFetcher();
  const formRef = useRef<HTMLFormElement>(null);
  const wasBusy = useRef(false);
  const result = isFormFailure(fetcher.data) ? fetcher.data : failure;
  const values = result?.values;
  const errors = result?.fieldErrors ?? {};
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    if (busy) {
      wasBusy.current = true;
      return;
    }
    if (wasBusy.current && !isFormFailure(fetcher.data)) {
      formRef.current?.reset();
      formRef.current?.querySelector<HTMLInputElement>("input[name=title]")?.focus();
    }
    wasBusy.current = false;
  }, [busy, fetcher.data]);

  return (
    <QuickAddDisclosure label="Add a task" columnName={statusLabel[status]} open={Boolean(result)}>
      <fetcher.Form ref={formRef} method="post" className="space-y-3 border-t border-zinc-200 p-3" noValidate>
        <FormError message={result?.formError} />
        <InputField
          label="Title"
          name="title"
          required
          maxLength={200}
          defaultValue={values?.title}
          errors={errors.title}
        />
        <SelectField
          label="Assignee"
          name="assignee_id"
          options={[{ value: "", label: "Unassigned" }, ...team]}
          defaultValue={values?.assignee_id ?? defaultAssignee ?? ""}
          errors={errors.assignee_id}
        />
        <div className="grid grid-cols-2 gap-2">
          <SelectField
            label="Priority"
            name="priority"
            options={priorityOptions}
            defaultValue={values?.priority ?? "medium"}
            errors={errors.priority}
          />
          <InputField
            label="Due"
            name="due_date"
            type="date"
            defaultValue={values?.due_date}
            errors={errors.due_date}
          />
        </div>
        <div className="flex justify-end">
          <Button type="submit" size="sm" pending={busy}>
            Add
          </Button>
        </div>
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="status" value={status} />
        <input type="hidden" name="back" value={back} />
      </fetcher.Form>
    </QuickAddDisclosure>
  );
}
