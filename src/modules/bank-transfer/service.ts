import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { BankTransferInstructionsTable, Database } from '../../db/schema.js';
import { compactAccountNumber, isValidBic, isValidIban, looksLikeIban } from '../../domain/bank-account.js';
import { invalid, notFound } from '../../domain/errors.js';
import { currencyExponent } from '../../domain/money.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { recordAudit } from '../audit/index.js';
import type { BankTransferInstructionsInput } from './schemas.js';

/**
 * Bank-transfer instructions, per currency (issue 19, docs/bank-transfer.md). Owners and admins set them; every
 * save that adds, changes or removes the account details is audited and e-mailed to every owner, and a change
 * starts the portal's 30-day "confirm by phone" warning (`detailsChangedAt`).
 */

type Row = BankTransferInstructionsTable;
type Input = Static<typeof BankTransferInstructionsInput>;

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

const present = (row: Row) => ({
  currency: row.currency,
  accountHolder: row.accountHolder,
  accountNumber: row.accountNumber,
  bankCode: row.bankCode,
  bankName: row.bankName,
  reference: row.reference,
  showOnPdf: row.showOnPdf === 1,
  detailsChangedAt: row.detailsChangedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function listBankTransferInstructions(ctx: AppContext, scope: OrgScope) {
  const rows = await ctx.db.kysely
    .selectFrom('bankTransferInstructions')
    .selectAll()
    .where('organizationId', '=', scope.organizationId)
    .orderBy('currency')
    .execute();
  return { data: rows.map(present) };
}

/** The account details as they will be stored, checked: 400 with the field's path when one is wrong. */
function checkedDetails(currency: string, input: Input) {
  currencyExponent(currency, '/currency');
  const accountHolder = input.accountHolder.trim();
  if (accountHolder === '') throw invalid('/accountHolder', "enter the account holder's name");
  const accountNumber = compactAccountNumber(input.accountNumber);
  if (looksLikeIban(accountNumber)) {
    if (!isValidIban(accountNumber)) throw invalid('/accountNumber', 'this IBAN is not valid: check its characters');
  } else if (currency === 'EUR') {
    throw invalid('/accountNumber', 'euro transfers need an IBAN');
  } else if (!/^[A-Z0-9]{4,34}$/.test(accountNumber)) {
    throw invalid('/accountNumber', 'use the letters and digits of the account number');
  }
  const bankCode = input.bankCode?.trim().toUpperCase() || null;
  if (bankCode !== null) {
    const bic = /^[A-Z]{6}/.test(bankCode);
    if (bic && !isValidBic(bankCode)) throw invalid('/bankCode', 'a BIC has 8 or 11 letters and digits');
    if (!bic && !/^[0-9][0-9 -]{2,18}[0-9]$/.test(bankCode)) {
      throw invalid('/bankCode', 'use a BIC, or the digits of a routing number or sort code');
    }
  }
  const bankName = input.bankName?.trim() || null;
  const reference = input.reference?.trim() || null;
  if (reference !== null && /[{}]/.test(reference.replaceAll('{number}', ''))) {
    throw invalid('/reference', 'only {number} may stand for something in the reference');
  }
  return { accountHolder, accountNumber, bankCode, bankName, reference };
}

const sameAccount = (row: Row, details: ReturnType<typeof checkedDetails>) =>
  row.accountHolder === details.accountHolder &&
  row.accountNumber === details.accountNumber &&
  row.bankCode === details.bankCode &&
  row.bankName === details.bankName;

/**
 * Sets the instructions for a currency (creates or replaces them). The organization's row is locked first
 * (PostgreSQL; SQLite has one writer), so two saves at once of the same currency are one after the other: each sees
 * what the other saved, and each change is audited and e-mailed once.
 */
export async function putBankTransferInstructions(
  ctx: AppContext,
  scope: OrgScope,
  currency: string,
  input: Input,
  from: RequestInfo,
) {
  requireAdmin(scope);
  const details = checkedDetails(currency, input);
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockOrganization(ctx, trx, scope.organizationId);
    const existing = await trx
      .selectFrom('bankTransferInstructions')
      .selectAll()
      .where('organizationId', '=', scope.organizationId)
      .where('currency', '=', currency)
      .executeTakeFirst();
    const accountChanged = existing !== undefined && !sameAccount(existing, details);
    const values = {
      ...details,
      showOnPdf: (input.showOnPdf ?? existing?.showOnPdf === 1) ? 1 : 0,
      updatedAt: now,
    };
    if (existing) {
      await trx
        .updateTable('bankTransferInstructions')
        .set({ ...values, detailsChangedAt: accountChanged ? now : existing.detailsChangedAt })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('bankTransferInstructions')
        .values({
          id: newId('bti'),
          organizationId: scope.organizationId,
          currency,
          ...values,
          detailsChangedAt: null,
          createdAt: now,
        })
        .execute();
    }
    if (existing === undefined || accountChanged) {
      await tellOwners(ctx, trx, scope, {
        currency,
        change: existing ? 'changed' : 'added',
        accountNumber: details.accountNumber,
        previousAccountNumber: existing?.accountNumber ?? null,
        at: now,
        from,
      });
    }
  });
  const saved = await ctx.db.kysely
    .selectFrom('bankTransferInstructions')
    .selectAll()
    .where('organizationId', '=', scope.organizationId)
    .where('currency', '=', currency)
    .executeTakeFirstOrThrow();
  return present(saved);
}

/** Removes a currency's instructions: clients no longer see them; audited and e-mailed like a change. */
export async function removeBankTransferInstructions(
  ctx: AppContext,
  scope: OrgScope,
  currency: string,
  from: RequestInfo,
) {
  requireAdmin(scope);
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockOrganization(ctx, trx, scope.organizationId);
    const existing = await trx
      .selectFrom('bankTransferInstructions')
      .selectAll()
      .where('organizationId', '=', scope.organizationId)
      .where('currency', '=', currency)
      .executeTakeFirst();
    if (!existing) throw notFound('bank-transfer instructions for this currency');
    await trx.deleteFrom('bankTransferInstructions').where('id', '=', existing.id).execute();
    await tellOwners(ctx, trx, scope, {
      currency,
      change: 'removed',
      accountNumber: existing.accountNumber,
      previousAccountNumber: existing.accountNumber,
      at: now,
      from,
    });
  });
}

type Trx = Transaction<Database>;

async function lockOrganization(ctx: AppContext, trx: Trx, organizationId: string) {
  await trx
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', organizationId)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
}

const ending = (accountNumber: string) => accountNumber.slice(-4);

/** The audit entry, and an e-mail to every enabled owner, in the change's own transaction. */
async function tellOwners(
  ctx: AppContext,
  trx: Trx,
  scope: OrgScope,
  change: {
    currency: string;
    change: 'added' | 'changed' | 'removed';
    accountNumber: string;
    previousAccountNumber: string | null;
    at: string;
    from: RequestInfo;
  },
) {
  const actorId = scope.userId ?? scope.apiKey?.actsForUserId ?? null;
  await recordAudit(trx, {
    organizationId: scope.organizationId,
    event: 'business.bank_details_changed',
    actorType: 'user',
    actorId,
    details: {
      currency: change.currency,
      change: change.change,
      accountEnding: ending(change.accountNumber),
      ...(change.previousAccountNumber && change.change === 'changed'
        ? { previousAccountEnding: ending(change.previousAccountNumber) }
        : {}),
      via: scope.via,
      ...(scope.apiKey ? { apiKeyId: scope.apiKey.id } : {}),
    },
    ...change.from,
    at: change.at,
  });
  const organization = await trx
    .selectFrom('organizations')
    .select(['name', 'timeZone'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const actor = actorId
    ? await trx.selectFrom('users').select(['name', 'email']).where('id', '=', actorId).executeTakeFirst()
    : undefined;
  const who = actor ? `${actor.name} (${actor.email})` : 'Portico';
  const changedBy = scope.apiKey ? `an API key of ${who}` : who;
  const owners: Array<{ email: string }> = await trx
    .selectFrom('users')
    .select('email')
    .where('organizationId', '=', scope.organizationId)
    .where('role', '=', 'owner')
    .where('disabledAt', 'is', null)
    .execute();
  for (const owner of owners) {
    await enqueueTemplate(trx, new Date(change.at), {
      organizationId: scope.organizationId,
      to: owner.email,
      template: 'bankDetailsChanged',
      data: {
        organizationName: organization.name,
        currency: change.currency,
        change: change.change,
        accountEnding: ending(change.accountNumber),
        changedBy,
        changedAt: change.at,
        timeZone: organization.timeZone,
        settingsUrl: new URL('/app/settings/bank-transfer', ctx.config.publicUrl).toString(),
      },
    });
  }
}
