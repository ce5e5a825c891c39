import { Type } from 'typebox';

/**
 * An export takes no options: the whole organization's data, or the whole of the client's. A query naming one
 * (`?from=…`, `?tables=…`) answers 400 rather than an export that silently ignored it.
 */
export const ExportQuery = Type.Object({}, { additionalProperties: false });
