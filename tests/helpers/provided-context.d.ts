// Values the globalSetup files hand to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's own database, a copy of the demo template (tests/helpers/database-setup.ts). */
    databaseUrl: string;
    /** The `postgres` database of the same server, for tests that create databases of their own. */
    adminDatabaseUrl: string;
    /** The in-process server of the e2e project (tests/helpers/server-setup.ts). */
    baseUrl: string;
  }
}
