/** The door of activity: what other capabilities may use. The rest of this folder is its own. */
export {
  ACTIVITY_SUBJECTS,
  type ActivitySubject,
  actorOf,
  deleteActivityOf,
  type NewHistoryEntry,
  recordHistory,
} from './service.js';
