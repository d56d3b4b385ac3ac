// The CMS modules a run can name instead of giving an id. OVH's module ids change with every packaged version, so an
// input never carries a guessed id: it carries a name, and the run finds the id in `GET /hosting/web/moduleList`
// (then `/moduleList/{id}`) by matching the catalog entry's `name`.

export const KNOWN_MODULE_NAMES = ['wordpress', 'prestashop', 'joomla', 'drupal'] as const;
export type KnownModuleName = (typeof KNOWN_MODULE_NAMES)[number];

export interface KnownModule {
  /** The `name` of its entries in `/hosting/web/moduleList/{id}` (compared case- and punctuation-insensitively). */
  catalogName: string;
  /** How people write it, for messages. */
  displayName: string;
}

export const KNOWN_MODULES: Readonly<Record<KnownModuleName, KnownModule>> = {
  wordpress: { catalogName: 'wordpress', displayName: 'WordPress' },
  prestashop: { catalogName: 'prestashop', displayName: 'PrestaShop' },
  joomla: { catalogName: 'joomla', displayName: 'Joomla!' },
  drupal: { catalogName: 'drupal', displayName: 'Drupal' },
};

/** The fields of a `hosting.web.ModuleList` entry this choice needs. */
export interface ModuleCatalogEntry {
  id: number;
  name: string;
  active?: boolean;
  latest?: boolean;
  branch?: string;
}

const BRANCH_PREFERENCE: Record<string, number> = { stable: 0, testing: 1, old: 2 };

function catalogKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The catalog entry to install for a known name: an active one, preferring the latest version on the stable branch,
 * then the highest id — deterministic for the same catalog. Undefined when the catalog has no active entry for it.
 */
export function findKnownModuleInCatalog<E extends ModuleCatalogEntry>(
  name: KnownModuleName,
  catalog: readonly E[],
): E | undefined {
  const wanted = KNOWN_MODULES[name].catalogName;
  const candidates = catalog.filter((entry) => entry.active !== false && catalogKey(entry.name) === wanted);
  const rank = (entry: E): [number, number, number] => [
    entry.latest === true ? 0 : 1,
    BRANCH_PREFERENCE[entry.branch ?? 'stable'] ?? 3,
    -entry.id,
  ];
  return [...candidates].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  })[0];
}
