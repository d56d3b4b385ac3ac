import { describe, expect, it } from 'vitest';
import { formatIssues, parseProvisionSiteInput } from '../../src/shared/inputs/index.js';
import { BAD_PROVISION_INPUTS, GOOD_PROVISION_INPUTS } from '../fixtures/bad-provision-inputs.js';

describe('the bad provisionSite inputs fixture', () => {
  it('has at least 35 cases with distinct names', () => {
    expect(BAD_PROVISION_INPUTS.length).toBeGreaterThanOrEqual(35);
    expect(new Set(BAD_PROVISION_INPUTS.map((c) => c.name)).size).toBe(BAD_PROVISION_INPUTS.length);
  });

  it.each(BAD_PROVISION_INPUTS.map((c) => [c.name, c] as const))('refuses %s, naming only its field', (_name, c) => {
    const result = parseProvisionSiteInput(c.input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Exactly one reason per case: every issue names the expected field, with a non-empty message.
    expect(result.issues.map((issue) => issue.field)).toEqual(result.issues.map(() => c.field));
    for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(5);
    expect(formatIssues(result.issues)).toContain(`${c.field}: `);
  });

  it.each(GOOD_PROVISION_INPUTS.map((c) => [c.name, c] as const))('accepts %s', (_name, c) => {
    const result = parseProvisionSiteInput(c.input);
    expect(result).toMatchObject({ ok: true });
  });
});
