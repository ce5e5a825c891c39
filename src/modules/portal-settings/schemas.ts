import { Type } from 'typebox';
import { Nullable } from '../../http/schemas.js';

export const PortalSettings = Type.Object({
  enabled: Type.Boolean(),
  portalName: Type.String(),
  banner: Nullable(Type.String()),
  notifyMe: Type.Boolean(),
  emailCustomerOnComment: Type.Boolean(),
  allowEditingDetails: Type.Boolean(),
  allowForwarding: Type.Boolean(),
  reviews: Type.Boolean(),
  showProjects: Type.Boolean(),
  /** Clients may ask for a quote from the portal (docs/requests.md). */
  quoteRequests: Type.Boolean(),
  preventDuplicatePayments: Type.Boolean(),
  passwordMinLength: Type.Integer(),
  requireSecondFactor: Type.Boolean({
    description: 'Contact persons must sign in with a second factor (passkey or authenticator app).',
  }),
});

/** The settings as the back office shows them, with the address clients open the portal at. */
export const PortalSettingsWithUrl = Type.Intersect([PortalSettings, Type.Object({ portalUrl: Type.String() })]);

export const PortalSettingsPatch = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    portalName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'The slug in /portal/<name>; renaming moves the URL.' }),
    ),
    banner: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    notifyMe: Type.Optional(Type.Boolean()),
    emailCustomerOnComment: Type.Optional(Type.Boolean()),
    allowEditingDetails: Type.Optional(Type.Boolean()),
    allowForwarding: Type.Optional(Type.Boolean()),
    reviews: Type.Optional(Type.Boolean()),
    showProjects: Type.Optional(Type.Boolean()),
    quoteRequests: Type.Optional(Type.Boolean()),
    preventDuplicatePayments: Type.Optional(Type.Boolean()),
    passwordMinLength: Type.Optional(Type.Integer({ minimum: 12, maximum: 128 })),
    requireSecondFactor: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
