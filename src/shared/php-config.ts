// setPhpConfig's steps, result and workflow id: a folder's `.ovhconfig` (PHP engine, version, environment, HTTP
// firewall, container) brought to what was asked with `POST /hosting/web/{serviceName}/ovhConfig/{id}/changeConfiguration`.
import type { PhpSettings } from './inputs/php-config.js';

export const PHP_CONFIG_STEPS = [
  { name: 'preflight', title: "Read the folder's .ovhconfig and what the hosting offers" },
  { name: 'apply', title: "Change the configuration and wait for OVH's task" },
  { name: 'verify', title: 'Check the configuration OVH now has' },
] as const;

/** A `.ovhconfig` as runs compare it: every setting `changeConfiguration` takes. */
export interface PhpConfigSettings {
  engineName: string;
  engineVersion: string;
  environment: string;
  httpFirewall: string;
  container: string;
}

/** What the hosting offers (`ovhConfigCapabilities`): each PHP version, and the containers it runs in. */
export type PhpCapabilities = Array<{ version: string; containers: string[] }>;

export interface PhpSettingChange {
  field: keyof PhpSettings;
  found: string;
  asked: string;
}

/** The settings asked for that the configuration does not have yet. */
export function phpSettingChanges(current: PhpConfigSettings, asked: Partial<PhpConfigSettings>): PhpSettingChange[] {
  return (['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const).flatMap((field) => {
    const value = asked[field];
    return value === undefined || value === current[field] ? [] : [{ field, found: current[field], asked: value }];
  });
}

/** How a person reads a folder: the home is `''` for OVH. */
export function folderName(path: string): string {
  return path === '' ? 'the home' : path;
}

/** Each request is its own run (the same settings asked twice: the second finds nothing to change). */
export function phpConfigWorkflowId(serviceName: string, path: string, requestId: string): string {
  return `set-php-config/${serviceName}/${path === '' ? '.' : path}/${requestId}`;
}

export interface SetPhpConfigResult {
  serviceName: string;
  path: string;
  /** OVH's id of the folder's current configuration. */
  configId: number;
  /** False when the configuration already had every asked setting: nothing was written. */
  changed: boolean;
  changes: PhpSettingChange[];
  before: PhpConfigSettings;
  after: PhpConfigSettings;
}

/**
 * Why the hosting cannot take these settings (a version or container it does not offer), or undefined. What the folder
 * already has is never refused (`current`: nothing for a folder whose configuration is not known yet).
 */
export function phpOfferRefusal(capabilities: PhpCapabilities, current: Partial<PhpConfigSettings>, asked: Partial<PhpConfigSettings>): string | undefined {
  const versions = capabilities.map((entry) => entry.version);
  if (asked.engineVersion !== undefined && asked.engineVersion !== current.engineVersion && !versions.includes(asked.engineVersion)) {
    return `this hosting does not offer PHP ${asked.engineVersion}; it offers ${versions.join(', ')}`;
  }
  const version = asked.engineVersion ?? current.engineVersion;
  if (version === undefined) return undefined;
  const containers = capabilities.find((entry) => entry.version === version)?.containers ?? [];
  if (asked.container !== undefined && asked.container !== current.container && !containers.includes(asked.container)) {
    return `PHP ${version} does not run in the container ${asked.container} on this hosting; use ${containers.join(' or ') || 'another version'}`;
  }
  return undefined;
}
