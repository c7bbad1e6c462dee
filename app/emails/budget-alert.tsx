import { Heading, Text } from "@react-email/components";
import { ActionButton, EmailLayout, paragraph, type Branding } from "./layout.tsx";

export interface BudgetAlertProps extends Branding {
  project_name: string;
  metric: "money" | "hours";
  threshold: number;
  percent_used: number;
  url: string;
}

export function BudgetAlertEmail(props: BudgetAlertProps) {
  const budget = props.metric === "money" ? "budget" : "hours budget";
  const usedUp = props.threshold >= 100;
  return (
    <EmailLayout branding={props} preview={budgetAlertSubject(props)}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        {usedUp ? `${props.project_name} is over its ${budget}` : `${props.project_name} is nearing its ${budget}`}
      </Heading>
      <Text style={paragraph}>
        Tracked time has used <strong>{formatPercent(props.percent_used)}</strong> of the project&apos;s {budget}
        {usedUp ? ". Further time is beyond what was planned." : ", past the 80 % warning mark."}
      </Text>
      <Text style={paragraph}>
        Check the burn and the remaining work, and talk to the client about a change request if the scope grew.
      </Text>
      <ActionButton href={props.url} color={props.brand_color}>
        Open the project
      </ActionButton>
    </EmailLayout>
  );
}

function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10} %`;
}

export const budgetAlertSubject = (props: BudgetAlertProps) =>
  `${props.project_name}: ${formatPercent(props.percent_used)} of the ${props.metric === "money" ? "budget" : "hours budget"} used`;
