// How OVH spells types in its schema: `string`, `long`, `hosting.web.task`, `X[]`, `map[string]X`,
// `complexType.UnitAndValue<double>`. One parser, used by the schema generator (to find the models an operation
// needs) and by the validator.

export type ParsedType =
  | { kind: 'array'; of: string }
  | { kind: 'map'; of: string }
  | { kind: 'named'; name: string; generic?: { base: string; args: string[] } };

export function parseType(type: string): ParsedType {
  const trimmed = type.trim();
  if (trimmed.endsWith('[]')) return { kind: 'array', of: trimmed.slice(0, -2) };
  if (trimmed.startsWith('[]')) return { kind: 'array', of: trimmed.slice(2) };
  const map = /^map\[[^\]]+\](.+)$/.exec(trimmed);
  if (map?.[1]) return { kind: 'map', of: map[1] };
  const generic = /^([^<]+)<(.+)>$/.exec(trimmed);
  if (generic?.[1] && generic[2]) {
    return { kind: 'named', name: trimmed, generic: { base: generic[1], args: splitGenericArgs(generic[2]) } };
  }
  return { kind: 'named', name: trimmed };
}

/** Every model-like name a type mentions, innermost included (`a.B<c.D>[]` gives `a.B<c.D>`, `a.B<T>`, `c.D`). */
export function mentionedTypeNames(type: string): string[] {
  const parsed = parseType(type);
  if (parsed.kind !== 'named') return mentionedTypeNames(parsed.of);
  if (!parsed.generic) return [parsed.name];
  return [parsed.name, `${parsed.generic.base}<T>`, ...parsed.generic.args.flatMap(mentionedTypeNames)];
}

function splitGenericArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '<') depth += 1;
    if (char === '>') depth -= 1;
    if (char === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) args.push(current.trim());
  return args;
}
