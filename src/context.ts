import type { Config } from './config.js';
import type { Db } from './db/database.js';

/** What every route and service is given: the configuration, the database and the clock. */
export interface AppContext {
  config: Config;
  db: Db;
  /** The current time; tests replace it to move through due dates and expiries. */
  now: () => Date;
}
