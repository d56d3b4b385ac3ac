// deployWebsite's input: a folder of the hosting, deployed from a GitHub repository's branch. OVH deploys from
// GitHub only (its guide; `vcs/supported` answers `github`), so another host is refused here, before anything starts.
import { z } from 'zod';
import { serviceNameSchema, sitePathSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { STEP_DEADLINE_RULES } from './provision-site-rules.js';
import { wholeNumberSchema } from './field-schemas.js';
import { objectError, parseWith } from './zod-parse.js';

/** `https://github.com/<owner>/<repository>`, optionally ending in `.git`. */
export const GITHUB_REPOSITORY_URL = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?\/?$/;

/** A Git branch name as OVH takes it: no spaces, no `..`, not starting with `-` or `/`. */
const BRANCH = /^(?![-/])(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

export interface DeployWebsiteInput {
  serviceName: string;
  /** The folder, relative to the home (never the home itself: OVH deploys only into an empty folder). */
  path: string;
  /** The clone URL, as given (without a trailing slash). */
  repository: string;
  branch: string;
  /** Ask OVH to reset the folder to the branch (drops local changes) before deploying. */
  reset: boolean;
  /** The caller accepts replacing the folder's link to another repository (a delete and a create). */
  confirmed: boolean;
  stepDeadlineMinutes?: number;
}

const repositorySchema = z
  .string({ error: () => 'must be a GitHub repository URL' })
  .trim()
  .refine((url) => GITHUB_REPOSITORY_URL.test(url), { message: 'OVH deploys from GitHub only: give https://github.com/<owner>/<repository>' })
  .transform((url) => url.replace(/\/$/, ''));
const branchSchema = z.string({ error: () => 'must be a branch name' }).trim().regex(BRANCH, 'must be a branch name such as "main"');

/** A site deployed from Git at its provisioning: `{ repository, branch, reset? }` (its folder is the site's). */
export interface SiteGitSpec {
  repository: string;
  branch: string;
  reset?: boolean;
}

export const siteGitSchema = z
  .strictObject(
    { repository: repositorySchema, branch: branchSchema, reset: z.boolean({ error: () => 'must be true or false' }).optional() },
    { error: objectError('an object with "repository" (https://github.com/<owner>/<repository>) and "branch"') },
  )
  .transform((git): SiteGitSpec => withoutUndefined(git));

export const deployWebsiteInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      path: sitePathSchema,
      repository: repositorySchema,
      branch: branchSchema,
      reset: z.boolean({ error: () => 'must be true or false' }).default(false),
      confirmed: z.boolean({ error: () => 'must be true or false' }).default(false),
      // Not provision-site.ts's schema: that module imports this one (provisioning deploys from Git).
      stepDeadlineMinutes: wholeNumberSchema(STEP_DEADLINE_RULES).optional(),
    },
    { error: objectError('an object with "serviceName", "path", "repository" and "branch"') },
  )
  .transform(
    (input): DeployWebsiteInput =>
      withoutUndefined({
        serviceName: input.serviceName,
        path: input.path,
        repository: input.repository,
        branch: input.branch,
        reset: input.reset,
        confirmed: input.confirmed,
        stepDeadlineMinutes: input.stepDeadlineMinutes,
      }),
  );

export type DeployWebsiteRequest = z.input<typeof deployWebsiteInputSchema>;

export function parseDeployWebsiteInput(raw: unknown): ParseResult<DeployWebsiteInput> {
  return parseWith(deployWebsiteInputSchema, raw);
}
