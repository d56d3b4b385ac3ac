// Matches a request path (relative to /1.0) against the schema's path templates. A literal segment beats a
// parameter (`/hosting/web/moduleList` is not the service "moduleList"), earlier segments first.

export interface PathMatch {
  template: string;
  params: Record<string, string>;
}

interface Template {
  template: string;
  segments: Array<{ literal: string } | { param: string }>;
}

export class PathRouter {
  private readonly bySegmentCount = new Map<number, Template[]>();

  constructor(templates: Iterable<string>) {
    for (const template of new Set(templates)) {
      const segments = template
        .split('/')
        .slice(1)
        .map((segment) => {
          const param = /^\{(.+)\}$/.exec(segment)?.[1];
          return param ? { param } : { literal: segment };
        });
      const list = this.bySegmentCount.get(segments.length) ?? [];
      list.push({ template, segments });
      this.bySegmentCount.set(segments.length, list);
    }
    for (const list of this.bySegmentCount.values()) list.sort((a, b) => specificity(b).localeCompare(specificity(a)));
  }

  /** `segments` are already percent-decoded. */
  match(segments: string[]): PathMatch | null {
    for (const candidate of this.bySegmentCount.get(segments.length) ?? []) {
      const params: Record<string, string> = {};
      const matches = candidate.segments.every((segment, index) => {
        const value = segments[index] as string;
        if ('literal' in segment) return segment.literal === value;
        params[segment.param] = value;
        return value !== '';
      });
      if (matches) return { template: candidate.template, params };
    }
    return null;
  }
}

/** "1" for each literal segment, "0" for each parameter: sorting these strings puts the most literal first. */
function specificity(template: Template): string {
  return template.segments.map((segment) => ('literal' in segment ? '1' : '0')).join('');
}
