import { Link, useFetcher } from "@remix-run/react";
import { QuickAddDisclosure } from "#app/components/board/quick-add.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { isFormFailure, type FormFailure } from "#app/utils/forms.ts";

export interface ClientOption {
  value: string;
  label: string;
}

/**
 * The quick-add card at the top of an open column: title, client (an existing one, or a new one
 * by name) and value. A fetcher form, so adding in one column leaves the others alone; without
 * JavaScript it is an ordinary POST. The new-client name field shows only while "New client" is
 * selected — CSS :has(), so that works without JavaScript too.
 */
export function QuickAdd({
  stageId,
  stageName,
  clients,
  currency,
  back,
  failure,
  resetKey,
}: {
  stageId: string;
  stageName: string;
  clients: ClientOption[];
  currency: string;
  back: string;
  /** A failed no-JavaScript submission for this column (from useActionData). */
  failure?: FormFailure;
  /** Changes when the column gains a deal, which clears and folds the form. */
  resetKey: number;
}) {
  const fetcher = useFetcher();
  const result = isFormFailure(fetcher.data) ? fetcher.data : failure;
  const values = result?.values;
  const errors = result?.fieldErrors ?? {};
  const adding = fetcher.state !== "idle";

  return (
    <QuickAddDisclosure key={resetKey} label="Add a deal" columnName={stageName} open={Boolean(result)}>
      <fetcher.Form method="post" className="group/add space-y-3 border-t border-zinc-200 p-3" noValidate>
        <FormError message={result?.formError} />
        <InputField label="Title" name="title" required defaultValue={values?.title} errors={errors.title} />
        <SelectField
          label="Client"
          name="client_id"
          options={[{ value: "new", label: "New client…" }, ...clients]}
          defaultValue={values?.client_id ?? "new"}
          errors={errors.client_id}
        />
        <InputField
          label="New client's name"
          name="new_client_name"
          className="hidden group-has-[option[value=new]:checked]/add:block"
          defaultValue={values?.new_client_name}
          errors={errors.new_client_name ?? errors.name}
        />
        <InputField
          label={`Value (${currency})`}
          name="value"
          inputMode="decimal"
          placeholder="0"
          defaultValue={values?.value}
          errors={errors.value ?? errors.value_cents}
        />
        <div className="flex items-center justify-between gap-2">
          <Link
            to={`/pipeline/new?stage=${stageId}`}
            className="rounded text-xs font-medium text-brand hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
          >
            More fields
          </Link>
          <Button type="submit" size="sm" pending={adding}>
            Add
          </Button>
        </div>
        <input type="hidden" name="intent" value="quick_add" />
        <input type="hidden" name="stage" value={stageId} />
        <input type="hidden" name="back" value={back} />
      </fetcher.Form>
    </QuickAddDisclosure>
  );
}
