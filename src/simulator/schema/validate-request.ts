// Validates one call's path, query and body parameters against its operation in the schema, and returns them
// converted to their types. Anything the operation does not declare is refused, naming the parameter, as OVH does.
import { apiErrors } from '../http/ovh-errors.js';
import { checkValue, isPlainObject, type CheckOptions } from './check-value.js';
import { typeOf, type OvhModel, type OvhOperation } from './schema-types.js';

export interface RawParameters {
  path: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body, `undefined` when the request had none. */
  body: unknown;
}

export interface ValidatedParameters {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

export function validateRequest(operation: OvhOperation, models: Record<string, OvhModel>, raw: RawParameters): ValidatedParameters {
  const text: CheckOptions = { models, source: 'text', mode: 'request' };
  const json: CheckOptions = { models, source: 'json', mode: 'request' };
  const result: ValidatedParameters = { path: {}, query: {}, body: {} };

  const queryParameters = operation.parameters.filter((p) => p.paramType === 'query');
  const queryNames = new Set(queryParameters.map((p) => p.name));
  for (const key of Object.keys(raw.query)) {
    if (!queryNames.has(key)) throw apiErrors.badRequest(`[${key}] Unknown parameter`);
  }
  for (const parameter of operation.parameters) {
    const name = parameter.name;
    if (parameter.paramType === 'path' && name) {
      result.path[name] = checkValue(raw.path[name] ?? '', typeOf(parameter), name, text);
    } else if (parameter.paramType === 'query' && name) {
      const value = raw.query[name];
      if (value === undefined || value === '') {
        if (parameter.required) throw apiErrors.badRequest(`[${name}] Missing parameter`);
        continue;
      }
      result.query[name] = checkValue(value, typeOf(parameter), name, text);
    }
  }

  const bodyParameters = operation.parameters.filter((p) => p.paramType === 'body');
  const wholeBody = bodyParameters.find((p) => p.name === undefined);
  const body = raw.body ?? {};
  if (wholeBody) {
    // The body is one model (e.g. hosting.web.AttachedDomain); an empty body is an empty object of that model.
    result.body = checkValue(body, typeOf(wholeBody), '', json) as Record<string, unknown>;
    return result;
  }
  if (!isPlainObject(body)) throw apiErrors.badRequest('[body] The request body must be a JSON object');
  const bodyNames = new Set(bodyParameters.map((p) => p.name));
  for (const key of Object.keys(body)) {
    if (!bodyNames.has(key)) throw apiErrors.badRequest(`[${key}] Unknown parameter`);
  }
  for (const parameter of bodyParameters) {
    const name = parameter.name as string;
    const value = body[name];
    if (value === undefined || value === null) {
      if (parameter.required) throw apiErrors.badRequest(`[${name}] Missing parameter`);
      continue;
    }
    result.body[name] = checkValue(value, typeOf(parameter), name, json);
  }
  return result;
}
