// Least privilege for service accounts, derived like the access rules (access-rules.ts): the IAM actions ovhflow
// needs are those the real schema (spec/ovh-api/*.json, vendored) lists in `iamActions` for each operation ovhflow
// calls, matched by method and path — never a hand-copied list, so an operation added to operations.ts gets its
// actions with no other edit. Each action applies to a resource type (its prefix): `webHosting:` actions to the
// hosting services' URNs, `dnsZone:` to the zones', `account:` to the account's.
import authSchema from '../../spec/ovh-api/auth.json' with { type: 'json' };
import domainZoneSchema from '../../spec/ovh-api/domain-zone.json' with { type: 'json' };
import hostingWebSchema from '../../spec/ovh-api/hosting-web.json' with { type: 'json' };
import { ovhOperations, type OperationName, type OvhOperation } from './operations.js';

interface SchemaDocument {
  apis: Array<{ path: string; operations: Array<{ httpMethod: string; noAuthentication?: boolean; iamActions?: Array<{ name: string; required: boolean }> | null }> }>;
}

const SCHEMAS = [hostingWebSchema, domainZoneSchema, authSchema] as unknown as SchemaDocument[];

let schemaActions: Map<string, string[] | undefined> | undefined;

/** `GET /hosting/web/{serviceName}` → the schema's required IAM actions (undefined: the schema lists none). */
function actionsBySchemaOperation(): Map<string, string[] | undefined> {
  if (!schemaActions) {
    schemaActions = new Map();
    for (const document of SCHEMAS) {
      for (const api of document.apis) {
        for (const operation of api.operations) {
          const required = operation.iamActions?.filter((action) => action.required).map((action) => action.name);
          schemaActions.set(`${operation.httpMethod} ${api.path}`, required?.length ? required : undefined);
        }
      }
    }
  }
  return schemaActions;
}

/** The operations a service account calls: authenticated, called by some code, not about consumer keys. */
function serviceAccountOperations(): Array<OvhOperation & { name: OperationName }> {
  return ovhOperations().filter((operation) => !operation.noAuthentication && !operation.notCalled && !operation.consumerKeyOnly);
}

/** The IAM actions of one operation, from the schema; undefined when the schema lists none. */
export function iamActionsOfOperation(operation: { method: string; path: string }): string[] | undefined {
  return actionsBySchemaOperation().get(`${operation.method} ${operation.path}`);
}

/** Operations a service account would call whose schema operation lists no IAM action (a bug to fix: see the test). */
export function operationsWithoutIamActions(): OperationName[] {
  return serviceAccountOperations().filter((operation) => !iamActionsOfOperation(operation)).map((operation) => operation.name);
}

export interface RequiredIamAction {
  action: string;
  /** The operations (OvhClient methods) that need it. */
  operations: OperationName[];
}

/** Every IAM action ovhflow's calls need, each with the operations needing it, in table order. */
export function requiredIamActions(): RequiredIamAction[] {
  const byAction = new Map<string, OperationName[]>();
  for (const operation of serviceAccountOperations()) {
    for (const action of iamActionsOfOperation(operation) ?? []) byAction.set(action, [...(byAction.get(action) ?? []), operation.name]);
  }
  return [...byAction].map(([action, operations]) => ({ action, operations }));
}

/** OVH's URN region of an endpoint: `ca` and `us` for theirs, `eu` otherwise (ovh-eu, the simulator). */
export function iamRegionOf(endpoint: string): 'eu' | 'ca' | 'us' {
  return endpoint === 'ovh-ca' ? 'ca' : endpoint === 'ovh-us' ? 'us' : 'eu';
}

export interface IamPolicyScope {
  /** ovhflow's name for the account (names the policy). */
  account: string;
  endpoint: string;
  /** The account's NIC handle (for `account:` actions and the identity); `*`-free URNs need it. */
  nic?: string;
  /** The service account's client id: with `nic`, names the identity the policy applies to. */
  clientId?: string;
  /** The hosting services to grant; none = every hosting service of the account (`*`). */
  services?: string[];
  /** The DNS zones to grant (only when some operation needs a dnsZone action); none = every zone (`*`). */
  zones?: string[];
}

/** The body of OVH's `POST /iam/policy` that lets ovhflow do everything it does, and nothing else. */
export interface IamPolicy {
  name: string;
  description: string;
  identities: string[];
  resources: Array<{ urn: string }>;
  permissions: { allow: Array<{ action: string }> };
}

export function iamPolicyFor(scope: IamPolicyScope): IamPolicy {
  const region = iamRegionOf(scope.endpoint);
  const actions = requiredIamActions().map((required) => required.action);
  const types = new Set(actions.map((action) => action.split(':')[0]));
  const urn = (type: string, name: string) => `urn:v1:${region}:resource:${type}:${name}`;
  const resources: string[] = [];
  if (types.has('webHosting')) resources.push(...(scope.services?.length ? scope.services : ['*']).map((service) => urn('webHosting', service)));
  if (types.has('dnsZone')) resources.push(...(scope.zones?.length ? scope.zones : ['*']).map((zone) => urn('dnsZone', zone)));
  if (types.has('account')) resources.push(urn('account', scope.nic ?? '*'));
  return {
    name: `ovhflow-${scope.account}`,
    description: `What ovhflow needs for the OVH account "${scope.account}" (ovhflow credentials policy)`,
    identities: scope.nic && scope.clientId ? [`urn:v1:${region}:identity:credential:${scope.nic}/oauth2-${scope.clientId}`] : [],
    resources: resources.map((u) => ({ urn: u })),
    permissions: { allow: actions.map((action) => ({ action })) },
  };
}
