// js-yaml ships no types and @types/js-yaml is not installed: the two calls the fleet file uses.
declare module 'js-yaml' {
  export function load(text: string, options?: { schema?: unknown; json?: boolean; filename?: string }): unknown;
  export function dump(value: unknown, options?: { indent?: number; lineWidth?: number; noRefs?: boolean; sortKeys?: boolean; quotingType?: "'" | '"' }): string;
  export const JSON_SCHEMA: unknown;
  export const CORE_SCHEMA: unknown;
  export class YAMLException extends Error {
    reason: string;
    mark?: { line: number; column: number };
  }
}
