// `ovhflow deploy`: a folder of the hosting deployed from a GitHub repository's branch, as its own run. The flags are
// validated as the workflow validates them before anything starts (a non-GitHub URL exits 2 with nothing started);
// a folder OVH would not link (not empty) or an offer at its limit is refused by the run before any write. At the end
// it prints the commit deployed and the webhook URL to give GitHub so that a push deploys by itself.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { requestIdIssue } from '../../shared/backups.js';
import type { DeployWebsiteResult } from '../../shared/deploy.js';
import { formatIssues, parseDeployWebsiteInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';

interface DeployFlags {
  account?: string;
  service: string;
  path: string;
  repo: string;
  branch: string;
  reset?: boolean;
  yes?: boolean;
  stepDeadline?: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description("deploy a folder from a GitHub repository's branch; prints the commit and the push webhook for GitHub")
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-shop.ovh')
    .requiredOption('--path <folder>', 'the folder, relative to the home (must be empty when first linked)')
    .requiredOption('--repo <url>', 'the GitHub repository, https://github.com/<owner>/<repository> (OVH deploys from GitHub only)')
    .requiredOption('--branch <name>', 'the branch to deploy; another branch than the linked one updates the link')
    .option('--reset', 'reset the folder to the branch before deploying (drops changes made in the folder)')
    .option('--yes', 'confirm now replacing a link to another repository (its files go); otherwise the run waits for `ovhflow confirm`')
    .option('--step-deadline <minutes>', "how long each step may wait for OVH's task or the deployment")
    .option('--request-id <id>', 'names this deploy: the same id twice is one run (default: a new deployment each time)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action(async (flags: DeployFlags) => {
      const parsed = parseDeployWebsiteInput({
        serviceName: flags.service,
        path: flags.path,
        repository: flags.repo,
        branch: flags.branch,
        reset: flags.reset === true,
        confirmed: flags.yes === true,
        ...(flags.stepDeadline !== undefined ? { stepDeadlineMinutes: Number(flags.stepDeadline) } : {}),
      });
      if (!parsed.ok) throw new UsageError(`invalid input, nothing was started:\n${formatIssues(parsed.issues)}`);
      const requestId = flags.requestId ?? randomUUID();
      const issue = requestIdIssue(requestId);
      if (issue) throw new UsageError(`invalid input, nothing was started:\n--request-id: ${issue}`);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('deploy', parsed.value, { account: flags.account, requestId });
        if (!flags.wait) {
          await reportStarted(runs, ref, flags);
          return EXIT.ok;
        }
        if (!flags.json) process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
        const code = await followRun(runs, ref.workflowId, flags);
        const view = await runs.describeRun(ref.workflowId);
        if (!flags.json && view.status === 'completed' && view.result) {
          const result = view.result as DeployWebsiteResult;
          process.stdout.write(`\ndeployed ${result.repository} (${result.branch}) into ${result.path}: commit ${result.deployment.commit ?? 'unknown'}\n`);
          if (result.pushWebhook) process.stdout.write(`push webhook (GitHub → Settings → Webhooks, content type application/json, push events):\n  ${result.pushWebhook}\n`);
        }
        return code;
      });
    });
}
