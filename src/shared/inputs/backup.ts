// backupDatabase's input: one database of one hosting, dumped now.
import { z } from 'zod';
import { databaseNameSchema, serviceNameSchema } from './field-schemas.js';
import type { ParseResult } from './issues.js';
import { objectError, parseWith } from './zod-parse.js';

export interface BackupDatabaseInput {
  serviceName: string;
  databaseName: string;
  /** Whether OVH emails the account when the dump is ready (OVH's own default is true; ours is false). */
  sendEmail: boolean;
}

export const sendEmailSchema = z.boolean({
  error: (iss) => (iss.input === undefined ? 'is required (true or false)' : 'must be true or false'),
});

export const backupDatabaseInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      databaseName: databaseNameSchema,
      sendEmail: sendEmailSchema.default(false),
    },
    { error: objectError('an object with "serviceName" and "databaseName"') },
  )
  .transform((input): BackupDatabaseInput => input);

export type BackupDatabaseRequest = z.input<typeof backupDatabaseInputSchema>;

export function parseBackupDatabaseInput(raw: unknown): ParseResult<BackupDatabaseInput> {
  return parseWith(backupDatabaseInputSchema, raw);
}
