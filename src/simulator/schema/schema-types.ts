// The shape of an OVHcloud API schema document (the Swagger 1.2 dialect OVH serves at `/1.0/<api>.json`), reduced
// to the fields the simulator reads. The trimmed documents it ships keep this shape, so they can also be served
// back to clients that load schemas (the official Node client does when given `apis`).

export interface OvhParameter {
  /** Absent for a body parameter that is the whole request body (e.g. `hosting.web.AttachedDomain`). */
  name?: string;
  paramType: 'path' | 'query' | 'body' | 'header';
  dataType: string;
  fullType?: string;
  required: boolean;
}

export interface OvhOperation {
  httpMethod: 'GET' | 'POST' | 'PUT' | 'DELETE';
  noAuthentication: boolean;
  apiStatus: { value: string };
  parameters: OvhParameter[];
  responseType: string;
  /** The IAM actions a call needs (absent on calls outside IAM, such as /auth and the no-authentication ones). */
  iamActions?: OvhIamAction[];
}

export interface OvhIamAction {
  name: string;
  required: boolean;
}

export interface OvhApi {
  path: string;
  operations: OvhOperation[];
}

export interface OvhProperty {
  type: string;
  fullType?: string;
  canBeNull: boolean;
  readOnly: boolean;
  required: boolean;
}

export interface OvhModel {
  id: string;
  namespace: string;
  enum?: string[];
  enumType?: string;
  generics?: string[];
  properties?: Record<string, OvhProperty>;
}

export interface OvhSchemaDocument {
  apiVersion: string;
  basePath: string;
  resourcePath: string;
  apis: OvhApi[];
  models: Record<string, OvhModel>;
}

/** A trimmed document also lists every operation of the full schema, so the router can tell "not simulated"
 * (the real API has it) from "does not exist". */
export interface TrimmedSchemaDocument extends OvhSchemaDocument {
  generatedFrom: string;
  allOperations: string[];
}

/** The type of a property or parameter as the schema spells it in full (`fullType` when present). */
export function typeOf(entry: { type?: string; dataType?: string; fullType?: string }): string {
  return entry.fullType ?? entry.type ?? entry.dataType ?? 'string';
}
