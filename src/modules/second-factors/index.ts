/** The door of second-factors: what other capabilities may use. The rest of this folder is its own. */
export { pruneExpiredSecondFactorSteps } from './expired.js';
export { secondFactorRouteSet } from './own-factors-api.js';
export { contactOwner } from './owner.js';
export { PasskeySignInOptionsInput, SecondFactorInput, SecondFactorNeeded } from './schemas.js';
export {
  afterPassword,
  completeSignIn,
  enrolmentRequiredOf,
  passkeySignInOptions,
  type SecondFactorAnswer,
} from './sign-in.js';
