// The per-account checks of `ovhflow doctor`, on the worker (the only process with OVH credentials): the endpoint
// answers, its clock is close to ours, the credentials are valid and hold every right ovhflow's calls need (what
// `credentials check` knows), and the live API still offers every operation ovhflow calls, as it calls them.
import { compareWithRequired } from '../ovh/access-rules.js';
import type { OvhClient } from '../ovh/client.js';
import { LIVE_SCHEMA_PATHS, liveSchemaProblems, type SchemaDocumentLike } from '../ovh/live-schema.js';
import { MAX_CLOCK_DRIFT_SECONDS, type DoctorCheck } from '../shared/doctor.js';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createDoctorActivities({ ovh }: { ovh: OvhClient }) {
  return {
    async checkAccountHealth(args: { account: string }): Promise<DoctorCheck[]> {
      const label = (what: string) => `account ${args.account}: ${what}`;
      const checks: DoctorCheck[] = [];
      const endpoint = ovh.endpoint.url;

      let serverTime: number;
      try {
        serverTime = await ovh.serverTime();
      } catch (error) {
        checks.push({
          name: label('endpoint reachable'),
          ok: false,
          verdict: `${endpoint} does not answer GET /auth/time: ${messageOf(error)}`,
          fix: 'check OVH_ENDPOINT (or the account\'s endpoint in the accounts file), the network and, for a private CA, OVH_CA_FILE',
        });
        return checks;
      }
      checks.push({ name: label('endpoint reachable'), ok: true, verdict: `${endpoint} answers` });
      const drift = Math.round(serverTime - Date.now() / 1000);
      checks.push(
        Math.abs(drift) <= MAX_CLOCK_DRIFT_SECONDS
          ? { name: label('clock drift'), ok: true, verdict: `${drift} s from OVH's clock` }
          : { name: label('clock drift'), ok: false, verdict: `this worker's clock is ${-drift} s off OVH's`, fix: 'synchronise the worker host\'s clock (NTP): signatures are timestamped' },
      );

      if (ovh.authKind === 'classic') {
        try {
          const credential = await ovh.currentCredential();
          if (!credential) throw new Error('this worker has no consumer key');
          const ok = credential.status === 'validated';
          checks.push({
            name: label('credentials valid'),
            ok,
            verdict: `consumer key ${credential.status}${credential.expiration ? `, expires ${credential.expiration}` : ''}`,
            ...(ok ? {} : { fix: 'validate it at the URL `ovhflow credentials request` printed, or request a new one' }),
          });
          const { lacking } = compareWithRequired(credential.rules ?? []);
          checks.push(
            lacking.length === 0
              ? { name: label('rights'), ok: true, verdict: 'the key grants every call ovhflow makes' }
              : {
                  name: label('rights'),
                  ok: false,
                  verdict: `the key lacks ${lacking.map((rule) => `${rule.method} ${rule.path} (${rule.operations.join(', ')})`).join('; ')}`,
                  fix: 'request a key with every rule: `ovhflow credentials request`, then validate it',
                },
          );
        } catch (error) {
          checks.push({ name: label('credentials valid'), ok: false, verdict: messageOf(error), fix: 'check the application key, secret and consumer key (`ovhflow credentials check`)' });
        }
      } else {
        checks.push({ name: label('credentials valid'), ok: true, verdict: 'service account (IAM): see `ovhflow credentials check` for its policy' });
      }

      const documents: SchemaDocumentLike[] = [];
      const unread: string[] = [];
      for (const path of LIVE_SCHEMA_PATHS) {
        try {
          documents.push((await ovh.fetchSchemaDocument(path)) as SchemaDocumentLike);
        } catch (error) {
          unread.push(`${path}: ${messageOf(error)}`);
        }
      }
      if (unread.length > 0) {
        checks.push({ name: label('API schema'), ok: false, verdict: `could not read ${unread.join('; ')}`, fix: `check that ${endpoint} serves its schema (it needs no credentials)` });
        return checks;
      }
      const problems = liveSchemaProblems(documents);
      checks.push(
        problems.length === 0
          ? { name: label('API offers every call ovhflow makes'), ok: true, verdict: 'every operation, with the parameters ovhflow sends' }
          : {
              name: label('API offers every call ovhflow makes'),
              ok: false,
              verdict: problems.map((p) => `${p.call} (${p.operation}): ${p.problem}; breaks ${p.commands.join(', ')}`).join('; '),
              fix: 'ovhflow was built against another version of the OVH API: upgrade ovhflow (or report the change); until then avoid the commands named',
            },
      );
      return checks;
    },
  };
}
