import type { RenderedEmail } from './email-layout.js';
import { autopayFailed } from './templates/autopay-failed.js';
import { bankDetailsChanged } from './templates/bank-details-changed.js';
import { businessPasswordReset } from './templates/business-password-reset.js';
import { businessReply } from './templates/business-reply.js';
import { documentForwarded } from './templates/document-forwarded.js';
import { documentSent } from './templates/document-sent.js';
import { passwordChanged } from './templates/password-changed.js';
import { passwordReset } from './templates/password-reset.js';
import { paymentFailed } from './templates/payment-failed.js';
import { paymentReceipt } from './templates/payment-receipt.js';
import { paymentRefunded } from './templates/payment-refunded.js';
import { portalActivity } from './templates/portal-activity.js';
import { portalInvitation } from './templates/portal-invitation.js';
import { secondFactorsReset } from './templates/second-factors-reset.js';
import { userSecondFactorsReset } from './templates/user-second-factors-reset.js';

export {
  escapeHtml,
  formatDateTime,
  type RenderedEmail,
  SUBJECT_MAX_LENGTH,
  safeSubject,
} from './email-layout.js';
export type { PortalInvitationData } from './templates/portal-invitation.js';

/** Every e-mail Portico sends, by name. Adding one: a file under templates/ and a line here. */
export const emailTemplates = {
  portalInvitation,
  passwordReset,
  passwordChanged,
  businessPasswordReset,
  portalActivity,
  documentForwarded,
  documentSent,
  businessReply,
  paymentReceipt,
  paymentFailed,
  autopayFailed,
  bankDetailsChanged,
  paymentRefunded,
  secondFactorsReset,
  userSecondFactorsReset,
} as const;

export type TemplateName = keyof typeof emailTemplates;
export type TemplateData<N extends TemplateName> = Parameters<(typeof emailTemplates)[N]>[0];

/** `renderEmail('passwordReset', { … })`: the data's type follows from the template's name. */
export function renderEmail<N extends TemplateName>(name: N, data: TemplateData<N>): RenderedEmail {
  const template = emailTemplates[name] as (data: TemplateData<N>) => RenderedEmail;
  return template(data);
}
