import { Type } from 'typebox';
import { Nullable, Timestamp } from '../../http/schemas.js';

export const FactorKind = Type.Union([Type.Literal('totp'), Type.Literal('passkey')]);

export const SecondFactor = Type.Object({
  id: Type.String(),
  kind: FactorKind,
  label: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
});

export const SecondFactorList = Type.Object({
  data: Type.Array(SecondFactor),
  recoveryCodesLeft: Type.Integer({ description: 'Unused recovery codes.' }),
  required: Type.Boolean({ description: 'The organization requires a second factor of this person.' }),
});

/** Shown once, never stored in clear. */
const RecoveryCodes = Type.Array(Type.String(), { description: 'Single-use recovery codes; shown this once.' });

export const RecoveryCodesAnswer = Type.Object({ recoveryCodes: RecoveryCodes });

export const EnrolledFactor = Type.Object({
  factor: SecondFactor,
  recoveryCodes: Nullable(RecoveryCodes),
});

const Label = Type.String({ minLength: 1, maxLength: 60, description: 'A name the person recognizes it by.' });

export const StartTotpInput = Type.Object({ label: Type.Optional(Label) }, { additionalProperties: false });

export const TotpEnrolment = Type.Object({
  id: Type.String(),
  secret: Type.String({ description: 'Base32, for typing into an authenticator app.' }),
  uri: Type.String({ description: 'The otpauth:// URI the QR code holds.' }),
  qrCode: Type.String({ description: 'The URI as a QR code: a PNG data URL.' }),
});

const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The six digits the app shows now.' });

export const ConfirmTotpInput = Type.Object({ code: TotpCode }, { additionalProperties: false });

/** A WebAuthn answer as @simplewebauthn/browser gives it; checked by @simplewebauthn/server, never stored. */
export const PasskeyAnswer = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 1000 }),
    rawId: Type.String({ minLength: 1, maxLength: 1000 }),
    type: Type.Literal('public-key'),
    response: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown()),
    clientExtensionResults: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Unknown())),
    authenticatorAttachment: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const RegisterPasskeyInput = Type.Object(
  { label: Type.Optional(Label), credential: PasskeyAnswer },
  { additionalProperties: false },
);

/** WebAuthn options for the browser (PublicKeyCredentialCreationOptionsJSON or …RequestOptionsJSON). */
export const PasskeyOptions = Type.Record(Type.String(), Type.Unknown());

const PendingToken = Type.String({ minLength: 1, maxLength: 200, description: 'The pending sign-in’s token.' });

export const SecondFactorNeeded = Type.Object({
  secondFactor: Type.Object({
    token: PendingToken,
    methods: Type.Array(Type.Union([Type.Literal('totp'), Type.Literal('passkey'), Type.Literal('recovery_code')])),
    expiresAt: Timestamp,
  }),
});

export const SecondFactorInput = Type.Union([
  Type.Object({ token: PendingToken, method: Type.Literal('totp'), code: TotpCode }, { additionalProperties: false }),
  Type.Object(
    {
      token: PendingToken,
      method: Type.Literal('recovery_code'),
      code: Type.String({ minLength: 1, maxLength: 40 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { token: PendingToken, method: Type.Literal('passkey'), credential: PasskeyAnswer },
    { additionalProperties: false },
  ),
]);

export const PasskeySignInOptionsInput = Type.Object({ token: PendingToken }, { additionalProperties: false });
