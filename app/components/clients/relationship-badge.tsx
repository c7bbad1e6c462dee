import type { ClientRelationship } from "#db/schema.ts";
import { Badge } from "../ui/card.tsx";

const tones = { lead: "zinc", prospect: "amber", active: "green", inactive: "red" } as const;

export function RelationshipBadge({ relationship }: { relationship: ClientRelationship }) {
  return <Badge tone={tones[relationship]}>{relationship}</Badge>;
}

export const relationshipOptions = [
  { value: "lead", label: "Lead" },
  { value: "prospect", label: "Prospect" },
  { value: "active", label: "Active" },
  { value: "inactive", label: "Inactive" },
];

export const sizeOptions = [
  { value: "", label: "Unknown" },
  { value: "1-10", label: "1–10 people" },
  { value: "11-50", label: "11–50 people" },
  { value: "51-200", label: "51–200 people" },
  { value: "201-1000", label: "201–1000 people" },
  { value: "1000+", label: "1000+ people" },
];
