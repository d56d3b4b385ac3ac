// Checks one value against a type of the OVHcloud schema (`long`, `datetime`, an enum model, an object model,
// `X[]`...), the way the API does before it runs a call: a wrong type, an unknown enum value, an unknown or a
// missing property is a 400 that names the parameter. Query and path values arrive as text and are converted
// (`"42"` → 42, `"true"` → true); JSON body values must already have the right JSON type.
//
// The same checker validates answers in the contract tests (mode `response`: every property of a model must be
// present, `null` only where the schema allows it).
import { isIP } from 'node:net';
import { apiErrors } from '../http/ovh-errors.js';
import { typeOf, type OvhModel } from './schema-types.js';
import { parseType } from './type-names.js';

export interface CheckOptions {
  models: Record<string, OvhModel>;
  /** `text` for query and path values, `json` for body values and answers. */
  source: 'text' | 'json';
  mode: 'request' | 'response';
}

const TEXT_TYPES = new Set(['string', 'password', 'text', 'phoneNumber', 'ip', 'ipBlock', 'ipv4Block', 'ipv6Block']);
const INTEGER_TYPES = new Set(['long', 'int', 'integer']);
const NUMBER_TYPES = new Set(['double', 'float', 'number']);
const DATE_TYPES = new Set(['datetime', 'date', 'time']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkValue(value: unknown, type: string, where: string, options: CheckOptions, generics: Record<string, string> = {}): unknown {
  const resolved = generics[type] ?? type;
  const parsed = parseType(resolved);
  if (parsed.kind === 'array') {
    const items = options.source === 'text' && typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(items)) throw invalid(value, resolved, where);
    return items.map((item, index) => checkValue(item, parsed.of, `${where}[${index}]`, options, generics));
  }
  if (parsed.kind === 'map') {
    if (options.source === 'text') return value; // complex filters in a query string are passed through untouched
    if (!isPlainObject(value)) throw invalid(value, resolved, where);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, checkValue(v, parsed.of, `${where}.${k}`, options, generics)]));
  }
  return checkNamed(value, parsed.name, where, options, parsed.generic?.args ?? []);
}

function checkNamed(value: unknown, name: string, where: string, options: CheckOptions, genericArgs: string[]): unknown {
  const text = options.source === 'text';
  if (TEXT_TYPES.has(name)) {
    if (typeof value !== 'string') throw invalid(value, name, where);
    return value;
  }
  if (name === 'ipv4' || name === 'ipv6') {
    if (typeof value !== 'string' || isIP(value) !== (name === 'ipv4' ? 4 : 6)) throw invalid(value, name, where);
    return value;
  }
  if (name === 'uuid') {
    if (typeof value !== 'string' || !UUID.test(value)) throw invalid(value, name, where);
    return value;
  }
  if (INTEGER_TYPES.has(name)) return toInteger(value, name, where, text);
  if (NUMBER_TYPES.has(name)) {
    const number = text && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw invalid(value, name, where);
    return number;
  }
  if (name === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (text && (value === 'true' || value === 'false')) return value === 'true';
    throw invalid(value, name, where);
  }
  if (DATE_TYPES.has(name)) {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid(value, name, where);
    return value;
  }

  const model = options.models[name];
  if (!model) {
    if (text) return value; // an unknown complex type in a query string: nothing sensible to check
    throw new Error(`schema: unknown type ${name} at ${where}`);
  }
  if (model.enum) return checkEnum(value, name, model, where);
  if (text) return value;
  if (!isPlainObject(value)) throw invalid(value, name, where);
  const generics = Object.fromEntries((model.generics ?? []).map((param, i) => [param, genericArgs[i] ?? 'string']));
  return checkObject(value, name, model, where, options, generics);
}

function checkObject(
  value: Record<string, unknown>,
  name: string,
  model: OvhModel,
  where: string,
  options: CheckOptions,
  generics: Record<string, string>,
): Record<string, unknown> {
  const properties = model.properties ?? {};
  const prefix = where ? `${where}.` : '';
  for (const key of Object.keys(value)) {
    if (!(key in properties)) throw apiErrors.badRequest(`[${prefix}${key}] Unknown parameter for ${name}`);
  }
  const result: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    const present = key in value && value[key] !== undefined;
    const item = value[key];
    if (!present || item === null) {
      if (options.mode === 'response') {
        if (!present) throw apiErrors.badRequest(`[${prefix}${key}] Missing property of ${name}`);
        if (!property.canBeNull) throw apiErrors.badRequest(`[${prefix}${key}] null is not allowed in ${name}`);
      } else if (property.required) {
        throw apiErrors.badRequest(`[${prefix}${key}] Missing parameter`);
      }
      if (present) result[key] = null;
      continue;
    }
    result[key] = checkValue(item, typeOf(property), `${prefix}${key}`, options, generics);
  }
  return result;
}

function checkEnum(value: unknown, name: string, model: OvhModel, where: string): unknown {
  const numeric = model.enumType === 'long' || model.enumType === 'double';
  const asText = typeof value === 'number' && numeric ? String(value) : value;
  if (typeof asText !== 'string' || !(model.enum ?? []).includes(asText)) {
    throw apiErrors.badRequest(`[${where}] Given data (${display(value)}) does not belong to the ${name} enumeration`);
  }
  return numeric ? Number(asText) : asText;
}

function toInteger(value: unknown, name: string, where: string, text: boolean): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (text && typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  throw invalid(value, name, where);
}

function invalid(value: unknown, type: string, where: string) {
  return apiErrors.badRequest(`[${where}] Given data (${display(value)}) is not valid for type ${type}`);
}

function display(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
