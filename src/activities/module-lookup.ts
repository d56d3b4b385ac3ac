import type { OvhClient } from '../ovh/client.js';
import type { InstalledModule } from '../ovh/types.js';

/** Where an installed module answers: OVH reports `targetUrl` (e.g. `https://shop.example.com/`) and its `path`. */
export function moduleServes(module: InstalledModule, domain: string, path: string): boolean {
  let host: string;
  try {
    host = new URL(module.targetUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === domain && normalizeModulePath(module.path) === normalizeModulePath(path);
}

export function normalizeModulePath(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/**
 * The module installed for this domain and path, if any (a retry after a lost answer finds its own install). Newest
 * first: the one a run looks for is almost always the one it just installed, so one read usually finds it.
 */
export async function findInstalledModule(ovh: OvhClient, serviceName: string, domain: string, path: string) {
  const ids = [...(await ovh.listModules(serviceName))].sort((a, b) => b - a);
  for (const id of ids) {
    const module = await ovh.getModule(serviceName, id);
    if (moduleServes(module, domain, path)) return module;
  }
  return undefined;
}
