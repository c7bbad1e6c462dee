import fs from "node:fs";
import { prepareDatabase } from "./prepare.ts";

/**
 * `npm run db:migrate` — bring the database (embedded, or DATABASE_URL) up to date and exit.
 * `npm run db:start`   — run only the embedded database, for psql or a SQL client, until Ctrl-C.
 */
async function main(command: string | undefined): Promise<void> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  const database = await prepareDatabase();
  if (command === "start") {
    console.log(`\nDatabase ready. Privileged URL (keep it local):\n  ${database.adminUrl}`);
    console.log(`Request-path URL (crm_request, RLS applies):\n  ${database.requestUrl}\nCtrl-C stops it.`);
    await new Promise<void>((resolve) => process.once("SIGINT", resolve));
  }
  await database.embedded?.stop();
}

const command = process.argv[2];
if (command !== "migrate" && command !== "start") {
  console.error("usage: tsx db/cli.ts migrate|start");
  process.exit(2);
}
main(command).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
