// The operator console, served by `ovhflow api` under /console: server-rendered pages over the same run service and
// shared parsers as the CLI and the HTTP API, so a decision taken here is the same Update `ovhflow retry` sends and a
// refused input gets the same message. Login with the API token gives an HttpOnly session cookie; every
// state-changing request also needs the session's CSRF token and, when the browser says where it comes from, this
// origin. Pages load one stylesheet and one script from here, under a Content-Security-Policy that allows nothing else.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isGrpcServiceError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DecisionNotTakenError, DecisionRejectedError, UnknownRunError, type RunRef, type RunService } from '../../runs/service.js';
import {
  listNightlySchedules,
  pauseNightlySchedule,
  ScheduleNotFoundError,
  triggerNightlySchedule,
  unpauseNightlySchedule,
} from '../../schedules/nightly.js';
import { requestIdIssue, SCHEDULE_ID } from '../../shared/backups.js';
import { parseSetArguments, type InputIssue } from '../../shared/inputs/index.js';
import { RUN_TYPES, type RunType } from '../../shared/runs.js';
import { DEFAULT_ACCOUNT_NAME } from '../../shared/accounts.js';
import { RUN_KINDS, type RunKind } from '../../runs/run-kinds.js';
import { defaultNight, rawInputFromForm, type FormFields } from '../../runs/run-forms.js';
import { INVENTORY_WORKFLOW_PREFIX, type InventoryRequest, type InventoryResult } from '../../shared/inventory.js';
import { askWorkerForApi } from '../ask-worker.js';
import { checkServiceExists } from '../../runs/service-check.js';
import type { codecSessions } from '../codec-session.js';
import type { PublicOrigin } from '../public-origin.js';
import { tokenMatcher } from '../token.js';
import { parseForm, setPairsFromForm } from './forms.js';
import { mapBounded, parseRunFilter, searchRuns } from './run-search.js';
import type { ConsoleSession, ConsoleSessions } from './session.js';
import { CONSOLE_CSS } from './styles.js';
import { CONSOLE_PREFIX, runHref, type PageContext } from './views/layout.js';
import { queuePage, runsPage, type QueueItem } from './views/lists.js';
import { loginPage, messagePage } from './views/login.js';
import { CORRECTION_KEYS, runPage, takesCorrections, type RunPageState } from './views/run.js';
import { schedulesPage } from './views/schedules.js';
import { FLEET_CSS, fleetPage, type FleetPageState } from './views/fleet.js';
import { ApplyInputError, applyTasksOf, refusingResolver } from '../../fleet/apply-items.js';
import { parseFleetFile, PLAINTEXT_REFUSED, type FleetFile } from '../../fleet/file.js';
import { fingerprintsOf, planFleet, type AskFleetRead, type PlanFingerprints } from '../../fleet/plan.js';
import { DEFAULT_APPLY_PARALLEL } from '../../shared/apply.js';
import type { FleetPlan } from '../../shared/fleet.js';
import { prepareApiApply, startApplyRun } from '../routes/applies.js';
import { latestDriftReport, listDriftSchedules } from '../../schedules/drift.js';
import { FLEET_READ_WORKFLOW_PREFIX, type FleetReadResult } from '../../shared/fleet.js';
import { initialValues, START_FORMS_CSS, startFormPage, startIndexPage, type FormChoices, type FormState } from './views/start.js';

export { CONSOLE_PREFIX };

/** Nothing but this origin's own stylesheet, script and requests; no framing, no inline code, no plugins. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the Temporal server could not be reached. */
const TEMPORAL_UNAVAILABLE = new Set([14, 4]);
const FORM_BODY_LIMIT = 512 * 1024;
const QUEUE_LIMIT = 200;
/** How long the queue page waits for workers to tell each run's details; a run left unanswered is listed without. */
const QUEUE_QUERY_DEADLINE_MS = 3_000;
const RUNS_LIMIT = 200;
const SCHEDULE_ACTIONS = ['pause', 'unpause', 'trigger'] as const;
/** How long a start form waits for a worker to list the account's services before offering a text field instead. */
const FORM_CHOICES_SECONDS = 3;
/** A plan of a big fleet reads for minutes at OVH's rate limit; the page waits as `ovhflow plan` does. */
const FLEET_PLAN_SECONDS = 900;
const DRIFT_SCHEDULES_SHOWN = 10;
/** Console routes authenticate with the session, not the bearer token, and stay out of the OpenAPI document. */
const CONSOLE_ROUTE = { config: { console: true, hidden: true } };

export interface ConsoleOptions {
  runs: RunService;
  token: string;
  /** The console's sessions (server.ts makes them: its request logging needs them too). */
  sessions: ConsoleSessions;
  /** Where browsers reach the console (OVHFLOW_PUBLIC_URL, else what the request says): forms must come from it. */
  origin: PublicOrigin;
  /** The codec session a login also starts, so the Temporal UI in the same browser decodes payloads. */
  codecSessions: ReturnType<typeof codecSessions>;
  /** The Temporal UI's address, for links to a run's history. */
  temporalUi?: string;
}

/** The browser script, beside this file in src/ (tests, tsx) and in dist/ (tsc copies JavaScript sources). */
function loadScript(): string {
  return readFileSync(new URL('./browser/console.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

export function registerConsole(app: FastifyInstance, options: ConsoleOptions): void {
  const { runs } = options;
  const { sessions } = options;
  const tokenMatches = tokenMatcher(options.token);
  const script = loadScript();
  const sessionOf = new WeakMap<FastifyRequest, ConsoleSession>();
  const namespace = runs.client.options.namespace;
  const contextOf = (request: FastifyRequest): PageContext => ({
    namespace,
    ...(options.temporalUi ? { temporalUi: options.temporalUi } : {}),
    ...(sessionOf.get(request) ? { csrf: sessionOf.get(request)?.csrf } : {}),
  });
  const send = (reply: FastifyReply, status: number, markup: string) => reply.status(status).type('text/html; charset=utf-8').send(markup);
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, title: string, message: string) =>
    send(reply, status, messagePage(title, message, contextOf(request), { href: CONSOLE_PREFIX, label: 'Back to the console' }));

  void app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
        done(null, parseForm(body as string));
      });

      scope.addHook('onSend', async (_request, reply) => {
        reply
          .header('Content-Security-Policy', CONSOLE_CSP)
          .header('X-Content-Type-Options', 'nosniff')
          .header('X-Frame-Options', 'DENY')
          .header('Referrer-Policy', 'same-origin')
          .header('Cross-Origin-Opener-Policy', 'same-origin')
          .header('Cross-Origin-Resource-Policy', 'same-origin');
      });

      scope.addHook('onRequest', async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        if (path === `${CONSOLE_PREFIX}/login` || path.startsWith(`${CONSOLE_PREFIX}/assets/`)) return;
        const session = sessions.read(request);
        if (session) {
          sessionOf.set(request, session);
          return;
        }
        if (request.method === 'GET' || request.method === 'HEAD') {
          const live = request.headers['x-console-live'] === '1';
          if (live) return send(reply, 401, messagePage('Session ended', 'Log in again.', contextOf(request)));
          return reply.redirect(`${CONSOLE_PREFIX}/login?${new URLSearchParams({ next: request.url }).toString()}`, 303);
        }
        request.log.warn({ method: request.method, path }, 'console action refused: no session');
        return send(reply, 401, messagePage('Not logged in', 'Log in to the console first. Nothing was done.', contextOf(request), { href: `${CONSOLE_PREFIX}/login`, label: 'Log in' }));
      });

      // Every state-changing request: same origin (when the browser says), and the session's CSRF token.
      scope.addHook('preHandler', async (request, reply) => {
        if (request.method === 'GET' || request.method === 'HEAD') return;
        if (!sameOrigin(request, options.origin)) {
          request.log.warn({ origin: String(request.headers.origin).slice(0, 100) }, 'console action refused: cross-origin');
          return refuse(request, reply, 403, 'Refused', 'This request came from another site. Nothing was done.');
        }
        const session = sessionOf.get(request);
        if (!session) return; // the login form: checked by the token itself
        const form = (request.body ?? {}) as FormFields;
        if (!sessions.csrfMatches(session, form._csrf)) {
          request.log.warn({ path: request.url.split('?')[0] }, 'console action refused: bad CSRF token');
          return refuse(request, reply, 403, 'Refused', 'The form was stale or did not come from this console (CSRF token missing or wrong). Nothing was done: reload the page and try again.');
        }
      });

      scope.setErrorHandler((error, request, reply) => {
        if (error instanceof UnknownRunError) return refuse(request, reply, 404, 'Unknown run', error.message);
        if (isGrpcServiceError(error) && TEMPORAL_UNAVAILABLE.has(Number(error.code))) {
          return refuse(request, reply, 503, 'Temporal unavailable', 'The Temporal server cannot be reached; try again shortly.');
        }
        const status = (error as { statusCode?: number }).statusCode;
        if (typeof status === 'number' && status >= 400 && status < 500) return refuse(request, reply, status, 'Bad request', 'The request could not be read.');
        request.log.error({ err: error }, 'console request failed');
        return refuse(request, reply, 500, 'Something went wrong', `Something went wrong on our side; the logs have it under request id ${request.id}.`);
      });
      scope.setNotFoundHandler((request, reply) => refuse(request, reply, 404, 'Not found', 'There is no such console page.'));

      scope.get('/assets/console.css', CONSOLE_ROUTE, async (_request, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'no-cache').send(`${CONSOLE_CSS}\n${START_FORMS_CSS}\n${FLEET_CSS}`));
      scope.get('/assets/console.js', CONSOLE_ROUTE, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').send(script));

      // -- login and logout ---------------------------------------------------------------------------------------
      scope.get('/login', CONSOLE_ROUTE, async (request, reply) => send(reply, 200, loginPage({ next: safeNext((request.query as { next?: unknown }).next) }, contextOf(request))));

      scope.post('/login', CONSOLE_ROUTE, async (request, reply) => {
        const form = (request.body ?? {}) as FormFields;
        const next = safeNext(form.next);
        if (typeof form.token !== 'string' || !tokenMatches(form.token.trim())) {
          request.log.warn('console login refused: wrong token');
          return send(reply, 401, loginPage({ next, error: 'That is not the API token.' }, contextOf(request)));
        }
        const { cookie, session } = sessions.issue(request);
        request.log.info('console login');
        return reply.header('Set-Cookie', [cookie, options.codecSessions.issue(request, session.nonce)]).redirect(next, 303);
      });

      // Revokes the session (and the codec session the login started, which has its nonce): a copy of the cookie
      // taken before is refused from now on.
      scope.post('/logout', CONSOLE_ROUTE, async (request, reply) => {
        const { cookie, ended } = sessions.end(request);
        request.log.info({ revoked: ended !== undefined }, 'console logout');
        return reply.header('Set-Cookie', [cookie, options.codecSessions.clear(request)]).redirect(`${CONSOLE_PREFIX}/login`, 303);
      });

      // -- the needs-attention queue ------------------------------------------------------------------------------
      scope.get('/', CONSOLE_ROUTE, async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const failureType = typeof query.failureType === 'string' && query.failureType !== '' ? query.failureType : undefined;
        const filter = parseRunFilter({ service: query.service, type: query.type });
        const shown = { service: str(query.service), type: str(query.type), failureType };
        if (!filter.ok) return send(reply, 400, queuePage({ items: [], filter: shown, failureTypes: [], issues: filter.issues }, contextOf(request)));
        const rows = await searchRuns(runs.client, { ...filter.value, needsAttention: true }, QUEUE_LIMIT);
        // Workers down cost this page one query deadline in all, not one per run (nor per task queue).
        const unansweredQueues = new Set<string>();
        const queryDeadline = Date.now() + QUEUE_QUERY_DEADLINE_MS;
        const described = await mapBounded(rows, 8, async (row): Promise<QueueItem | undefined> => {
          try {
            const view = await runs.describeRun(row.workflowId, { unansweredQueues, queryDeadline });
            if (view.status !== 'needs-attention') return undefined; // decided since the list was read
            return {
              row,
              ...(view.progress?.attention ? { attention: view.progress.attention } : {}),
              ...(view.progressUnavailable ? { unanswered: view.progressUnavailable } : {}),
            };
          } catch (error) {
            if (error instanceof UnknownRunError) return undefined;
            throw error;
          }
        });
        const items = described.filter((item): item is QueueItem => item !== undefined);
        const failureTypes = [...new Set(items.map((item) => item.attention?.failureType).filter((t): t is string => !!t))].sort();
        const oldestFirst = items
          .filter((item) => !failureType || item.attention?.failureType === failureType)
          .sort((a, b) => (a.attention?.since ?? a.row.startedAt).localeCompare(b.attention?.since ?? b.row.startedAt));
        return send(reply, 200, queuePage({ items: oldestFirst, filter: shown, failureTypes, issues: [] }, contextOf(request)));
      });

      // -- runs search --------------------------------------------------------------------------------------------
      scope.get('/runs', CONSOLE_ROUTE, async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const values = Object.fromEntries(['service', 'domain', 'type', 'status'].map((name) => [name, str(query[name]) ?? '']));
        const filter = parseRunFilter(query);
        if (!filter.ok) return send(reply, 400, runsPage({ rows: [], values, issues: filter.issues, limit: RUNS_LIMIT }, contextOf(request)));
        const rows = await searchRuns(runs.client, filter.value, RUNS_LIMIT);
        return send(reply, 200, runsPage({ rows, values, issues: [], limit: RUNS_LIMIT }, contextOf(request)));
      });

      // -- a run, and the decisions it waits for ------------------------------------------------------------------
      const runIdOf = (request: FastifyRequest): string => {
        const id = (request.query as { id?: unknown }).id;
        if (typeof id !== 'string' || id === '' || id.length > 1000) throw new UnknownRunError('give a run id: /console/run?id=<workflow id>');
        return id;
      };
      const showRun = async (request: FastifyRequest, reply: FastifyReply, status: number, state: Omit<RunPageState, 'view'>) => {
        const query = request.query as { ask?: unknown; done?: unknown };
        const ask = query.ask === 'abort' || query.ask === 'confirm' ? query.ask : undefined;
        const done = typeof query.done === 'string' ? query.done : undefined;
        const view = await runs.describeRun(runIdOf(request));
        return send(reply, status, runPage({ view, ...(ask ? { ask } : {}), ...(done ? { done } : {}), ...state }, contextOf(request)));
      };

      scope.get('/run', CONSOLE_ROUTE, async (request, reply) => showRun(request, reply, 200, {}));

      scope.post('/run', CONSOLE_ROUTE, async (request, reply) => {
        const workflowId = runIdOf(request);
        const form = (request.body ?? {}) as FormFields;
        const decision = form.decision;
        if (decision === 'show-secrets') {
          // An explicit ask, answered once, on a page that is not refreshed or cached; the log says it happened.
          request.log.info({ workflowId }, 'console: secrets shown');
          return showRun(request, reply, 200, { showSecrets: true });
        }
        if (decision !== 'retry' && decision !== 'skip' && decision !== 'abort' && decision !== 'confirm') {
          return refuse(request, reply, 400, 'Unknown decision', 'Use the buttons of the run page.');
        }
        let set: string[] = [];
        const values: Record<string, string> = {};
        if (decision === 'retry') {
          const view = await runs.describeRun(workflowId);
          if (takesCorrections(view)) {
            for (const key of CORRECTION_KEYS) values[key] = form[`set.${key}`] ?? '';
            set = setPairsFromForm(form, CORRECTION_KEYS);
          }
          if (set.length > 0) {
            // The same parser as `ovhflow retry --set` and the workflow's own validator: a refused correction is shown
            // beside its field and nothing is sent.
            const parsed = parseSetArguments(set);
            if (!parsed.ok) return send(reply, 422, runPage({ view, retry: { values, issues: parsed.issues } }, contextOf(request)));
          }
        }
        try {
          const ack =
            decision === 'retry' ? await runs.retry(workflowId, set) : decision === 'skip' ? await runs.skip(workflowId) : decision === 'abort' ? await runs.abort(workflowId) : await runs.confirm(workflowId);
          request.log.info({ workflowId, step: ack.step, decision: ack.decision, corrections: set.map((pair) => pair.split('=')[0]) }, 'operator decision accepted (console)');
        } catch (error) {
          if (error instanceof DecisionNotTakenError) {
            request.log.warn({ workflowId, decision }, 'operator decision not taken by any worker (console)');
            return send(reply, 504, runPage({ view: await runs.describeRun(workflowId), refusal: error.message }, contextOf(request)));
          }
          if (!(error instanceof DecisionRejectedError)) throw error;
          request.log.info({ workflowId, decision, reason: error.message }, 'operator decision refused (console)');
          const view = await runs.describeRun(workflowId);
          const retry = decision === 'retry' && set.length > 0 ? { values, issues: [{ field: 'input', message: `the run refused these corrections: ${error.message}` }] } : undefined;
          return send(reply, 409, runPage({ view, ...(retry ? { retry } : { refusal: error.message }) }, contextOf(request)));
        }
        return reply.redirect(runHref(workflowId, { done: decision }), 303);
      });

      // -- schedules ----------------------------------------------------------------------------------------------
      scope.get('/schedules', CONSOLE_ROUTE, async (request, reply) => {
        const done = (request.query as { done?: unknown }).done;
        const message = SCHEDULE_ACTIONS.find((action) => action === done);
        const schedules = await listNightlySchedules(runs.client);
        return send(reply, 200, schedulesPage({ schedules, ...(message ? { done: SCHEDULE_DONE[message] } : {}) }, contextOf(request)));
      });

      scope.post('/schedules', CONSOLE_ROUTE, async (request, reply) => {
        const form = (request.body ?? {}) as FormFields;
        const scheduleId = form.scheduleId ?? '';
        const action = SCHEDULE_ACTIONS.find((candidate) => candidate === form.action);
        if (!SCHEDULE_ID.test(scheduleId) || !action) return refuse(request, reply, 400, 'Unknown schedule action', 'Use the buttons of the schedules page.');
        try {
          if (action === 'pause') await pauseNightlySchedule(runs.client, scheduleId, 'paused from the ovhflow console');
          else if (action === 'unpause') await unpauseNightlySchedule(runs.client, scheduleId, 'unpaused from the ovhflow console');
          else await triggerNightlySchedule(runs.client, scheduleId);
        } catch (error) {
          if (error instanceof ScheduleNotFoundError) return refuse(request, reply, 404, 'Unknown schedule', `No schedule with id "${scheduleId}".`);
          throw error;
        }
        request.log.info({ scheduleId, action }, `schedule ${action} (console)`);
        return reply.redirect(`${CONSOLE_PREFIX}/schedules?done=${action}`, 303);
      });

      // -- the fleet: a file's plan, and the drift schedules' latest reports ----------------------------------------
      const driftReports = async (): Promise<FleetPageState['drift']> => {
        // A schedule this process cannot read (made with an encryption key it lacks) is said so; the page stays usable.
        const listed = await listDriftSchedules(runs.client);
        const unreadable: FleetPageState['drift'] = listed.flatMap((schedule) => (schedule.unreadable ? [{ schedule, problem: schedule.unreadable }] : []));
        const schedules = listed.filter((schedule) => !schedule.unreadable);
        const described = await mapBounded(schedules.slice(0, DRIFT_SCHEDULES_SHOWN), 4, async (schedule) => {
          try {
            return { schedule, latest: await latestDriftReport(runs.client, schedule.scheduleId) };
          } catch (error) {
            return { schedule, problem: `its report cannot be read: ${(error as Error).message.slice(0, 200)}` };
          }
        });
        return [...described, ...unreadable].slice(0, DRIFT_SCHEDULES_SHOWN);
      };
      scope.get('/fleet', CONSOLE_ROUTE, async (request, reply) => send(reply, 200, fleetPage({ file: '', issues: [], drift: await driftReports() }, contextOf(request))));

      /** A pasted file: parsed by the fleet file's own parser, its accounts known here; else the page with why. */
      const fleetOf = async (request: FastifyRequest, reply: FastifyReply, text: string): Promise<FleetFile | undefined> => {
        const parsed = parseFleetFile(text, 'file');
        const issues: InputIssue[] = parsed.ok ? Object.keys(parsed.value.accounts).filter((a) => !runs.accounts.names.includes(a)).map((a) => ({ field: `accounts.${a}`, message: `no OVH account named "${a}" (configured: ${runs.accounts.names.join(', ')})` })) : parsed.issues;
        if (parsed.ok && issues.length === 0) return parsed.value;
        // A file refused for a plaintext secret does not travel back into a page.
        const echoed = issues.some((issue) => issue.message === PLAINTEXT_REFUSED) ? '' : text;
        await send(reply, 422, fleetPage({ file: echoed, issues, drift: await driftReports() }, contextOf(request)));
        return undefined;
      };
      /** What applying a plan would start, as POST /v1/applies would (no secret reference read): the apply forms. */
      const applyOf = (file: FleetFile, plan: FleetPlan): NonNullable<FleetPageState['apply']> => {
        const seen = JSON.stringify(fingerprintsOf(plan));
        try {
          return { tasks: applyTasksOf(file, plan, refusingResolver), seen };
        } catch (error) {
          if (error instanceof ApplyInputError) return { tasks: [], seen, refused: error.issues };
          throw error;
        }
      };

      scope.post('/fleet', CONSOLE_ROUTE, async (request, reply) => {
        const text = ((request.body ?? {}) as FormFields).file ?? '';
        const file = await fleetOf(request, reply, text);
        if (!file) return reply;
        // The same reads as `ovhflow plan` and POST /v1/plans: one fleetRead per account, on the workers.
        const ask: AskFleetRead = (account, readRequest) =>
          askWorkerForApi<FleetReadResult>(runs, { workflowType: 'fleetRead', idPrefix: FLEET_READ_WORKFLOW_PREFIX, args: [readRequest], timeoutSeconds: FLEET_PLAN_SECONDS, account });
        const plan = await planFleet(file, {}, ask);
        request.log.info({ summary: plan.summary, failures: plan.failures.length }, 'fleet planned (console)');
        const apply = plan.failures.length === 0 ? applyOf(file, plan) : undefined;
        return send(reply, 200, fleetPage({ file: text, issues: [], plan, ...(apply ? { apply } : {}), drift: await driftReports() }, contextOf(request)));
      });

      // "Apply these N changes" (step review) shows the confirmation; confirming (step confirm) starts the apply.
      // Both plan the file again and refuse it when OVH no longer reads as the plan shown (`seen`) did.
      scope.post('/fleet/apply', CONSOLE_ROUTE, async (request, reply) => {
        const form = (request.body ?? {}) as FormFields;
        const step = form.step === 'review' || form.step === 'confirm' ? form.step : undefined;
        const seen = planFingerprintsOf(form.seen);
        const requestId = step === 'confirm' ? (form.requestId ?? '') : randomUUID();
        if (!step || !seen || requestIdIssue(requestId)) return refuse(request, reply, 400, 'Unknown apply step', 'Use the buttons of the fleet page. Nothing was started.');
        const text = form.file ?? '';
        const file = await fleetOf(request, reply, text);
        if (!file) return reply;
        const again = async (status: number, state: Partial<FleetPageState>) => send(reply, status, fleetPage({ file: text, issues: [], drift: await driftReports(), ...state }, contextOf(request)));
        let prepared;
        try {
          prepared = await prepareApiApply(runs, { file, seen }, { prune: false });
        } catch (error) {
          if (!(error instanceof ApplyInputError)) throw error;
          request.log.info({ step }, 'console apply refused: the file needs secret references');
          return again(422, { issues: error.issues });
        }
        const { plan } = prepared;
        if (prepared.outcome === 'unreadable') return again(502, { plan, applyRefusal: `OVH could not be read fully, nothing was started: ${plan.failures.map((f) => `${f.serviceName ?? f.account}: ${f.message}`).join('; ')}` });
        if (prepared.outcome === 'stale') {
          request.log.info({ step, changed: prepared.changed.length }, 'console apply refused: stale plan');
          const applyRefusal = `The plan shown is stale: OVH changed since for ${prepared.changed.join('; ')}. Nothing was started: here is the plan of OVH as it is now.`;
          return again(409, { plan, apply: applyOf(file, plan), applyRefusal });
        }
        if (prepared.outcome === 'nothing') return again(200, { plan, apply: applyOf(file, plan), applyRefusal: 'Nothing to apply: nothing was started.' });
        if (step === 'review') return again(200, { plan, apply: { tasks: prepared.tasks, seen: JSON.stringify(seen), confirm: { requestId } } });
        const ref = await startApplyRun(runs, prepared.tasks, DEFAULT_APPLY_PARALLEL, requestId);
        request.log.info({ workflowId: ref.workflowId, existing: ref.existing, changes: prepared.tasks.length }, ref.existing ? 'apply run already known (console)' : 'apply run started (console)');
        return started(reply, ref);
      });

      // -- starting runs: every kind of the table, in every account ------------------------------------------------
      const started = (reply: FastifyReply, ref: RunRef) => reply.redirect(runHref(ref.workflowId, { done: ref.existing ? 'existing' : 'started' }), 303);
      const kindOf = (request: FastifyRequest): RunType | undefined => {
        const type = (request.params as { type?: string }).type ?? '';
        return (RUN_TYPES as readonly string[]).includes(type) ? (type as RunType) : undefined;
      };
      /** The account a form acts in: the one asked for, when configured; otherwise the default. */
      const accountOf = (asked: unknown): string =>
        typeof asked === 'string' && runs.accounts.names.includes(asked) ? asked : (runs.accounts.defaultAccount ?? runs.accounts.names[0] ?? DEFAULT_ACCOUNT_NAME);
      /** The account's hosting services, for the service field: asked of a worker, briefly (the form works without). */
      const choicesFor = async (account: string): Promise<FormChoices> => {
        try {
          const result = await askWorkerForApi<InventoryResult>(runs, {
            workflowType: 'inventory',
            idPrefix: INVENTORY_WORKFLOW_PREFIX,
            args: [{ kind: 'services' } satisfies InventoryRequest],
            timeoutSeconds: FORM_CHOICES_SECONDS,
            account,
          });
          return { services: result.rows.map((row) => String(row.serviceName)).sort() };
        } catch (error) {
          return { servicesProblem: error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 200) : 'no worker answered' };
        }
      };
      const showForm = async (request: FastifyRequest, reply: FastifyReply, type: RunType, status: number, state: FormState, account: string) =>
        send(reply, status, startFormPage(type, state, contextOf(request), { accounts: runs.accounts.names, account, choices: await choicesFor(account) }));

      scope.get('/start', CONSOLE_ROUTE, async (request, reply) => send(reply, 200, startIndexPage(contextOf(request), str((request.query as { account?: unknown }).account))));

      scope.get('/start/:type', CONSOLE_ROUTE, async (request, reply) => {
        const type = kindOf(request);
        if (!type) return send(reply, 404, messagePage('No such run kind', 'No run kind by that name.', contextOf(request), { href: `${CONSOLE_PREFIX}/start`, label: 'All run kinds' }));
        const form = RUN_KINDS[type].form;
        const state: FormState = { values: initialValues(form, defaultNight()), issues: [], requestId: randomUUID() };
        return showForm(request, reply, type, 200, state, accountOf((request.query as { account?: unknown }).account));
      });

      scope.post('/start/:type', CONSOLE_ROUTE, async (request, reply) => {
        const type = kindOf(request);
        if (!type) return send(reply, 404, messagePage('No such run kind', 'No run kind by that name.', contextOf(request), { href: `${CONSOLE_PREFIX}/start`, label: 'All run kinds' }));
        const kind = RUN_KINDS[type] as unknown as RunKind;
        const form = (request.body ?? {}) as FormFields;
        const account = accountOf(form.account);
        const requestIdName = kind.form.requestIdField?.name ?? 'requestId';
        const requestId = form[requestIdName]?.trim() ?? '';
        const requestIssue = kind.requestId ? (requestIdIssue(requestId) ?? kind.requestIdIssue?.(requestId)) : undefined;
        const parsed = kind.parse((kind.form.toRaw ?? rawInputFromForm)(form, kind.form.fields));
        const issues: InputIssue[] = [
          ...(parsed.ok ? (kind.check?.(parsed.value) ?? []) : parsed.issues),
          ...(requestIssue ? [{ field: requestIdName, message: requestIdName === 'requestId' ? `${requestIssue} (reload the page)` : requestIssue }] : []),
        ];
        if (parsed.ok && issues.length === 0 && kind.checksService) {
          const missing = await checkServiceExists(runs, { serviceName: (parsed.value as { serviceName: string }).serviceName, account });
          if (missing) issues.push(missing);
        }
        if (!parsed.ok || issues.length > 0) {
          // What was typed comes back, except secrets (a private key): they never travel back into a page.
          const secret = new Set(kind.form.fields.filter((f) => f.secret).map((f) => f.name));
          const values = Object.fromEntries(Object.entries(form).filter(([name]) => name !== '_csrf' && !secret.has(name)));
          return showForm(request, reply, type, 422, { values, issues, requestId: requestIssue ? randomUUID() : requestId }, account);
        }
        const ref = await runs.start(type, parsed.value as never, { account, ...(kind.requestId ? { requestId } : {}) });
        request.log.info({ workflowId: ref.workflowId, existing: ref.existing, runType: type }, ref.existing ? `${type} run already known (console)` : `${type} run started (console)`);
        return started(reply, ref);
      });
    },
    { prefix: CONSOLE_PREFIX },
  );
}

const SCHEDULE_DONE: Record<(typeof SCHEDULE_ACTIONS)[number], string> = {
  pause: 'Schedule paused: no night starts until it is unpaused.',
  unpause: 'Schedule unpaused.',
  trigger: 'A night was started now (unless one was still running).',
};

/** The `seen` field of the apply forms: what the plan shown read, or undefined when it is not that. */
function planFingerprintsOf(value: unknown): PlanFingerprints | undefined {
  if (typeof value !== 'string' || value.length > FORM_BODY_LIMIT) return undefined;
  try {
    const parsed = JSON.parse(value) as PlanFingerprints;
    const named = (entry: unknown) => entry !== null && typeof entry === 'object' && ['account', 'serviceName', 'fingerprint'].every((key) => typeof (entry as Record<string, unknown>)[key] === 'string');
    return Array.isArray(parsed.sites) && Array.isArray(parsed.services) && parsed.sites.every((s) => named(s) && typeof s.domain === 'string') && parsed.services.every(named) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Where to go after login: a console page of this origin, never elsewhere (no open redirect). */
function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith(CONSOLE_PREFIX) || next.startsWith('//') || /[\\\r\n]/.test(next) || next.length > 2000) return CONSOLE_PREFIX;
  const rest = next.slice(CONSOLE_PREFIX.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('?') ? next : CONSOLE_PREFIX;
}

/** The Origin header, when the browser sends one, must be the console's own (its public URL when one is set). */
function sameOrigin(request: FastifyRequest, origin: PublicOrigin): boolean {
  const presented = request.headers.origin;
  if (presented === undefined) return true;
  return presented === origin.of(request);
}
