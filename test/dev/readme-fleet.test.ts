// The README's "Your fleet as code", followed on `npm start`'s demo services as a user would: its shell blocks run
// command by command from a project folder, the edit it describes made to the exported file, and every output line the
// README shows under a command found in that command's output (lines with "…" stand for what it leaves out).
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DevStarts, root, run } from '../support/dev-start.js';

const starts = new DevStarts();
afterAll(() => starts.cleanUp());

/** A README shell block as commands, each with the output lines the README shows under it (`#   ...`). */
function commandsOf(block: string): Array<{ command: string; shown: string[] }> {
  const commands: Array<{ command: string; shown: string[] }> = [];
  for (const line of block.split('\n')) {
    if (line.trim() === '') continue;
    if (!line.startsWith('#')) commands.push({ command: line.replace(/\s+#.*$/, ''), shown: [] });
    else if (line.startsWith('#   ') && commands.length > 0) commands.at(-1)?.shown.push(line.slice(1).trim());
  }
  return commands;
}

type Doc = { accounts: Record<string, { services: Record<string, { sites?: Array<Record<string, unknown>> }> }> };

describe("the README's fleet as code", () => {
  it('export, plan, the edit, plan, apply and apply again: each command runs as written and shows what the README says', async () => {
    const project = mkdtempSync(join(tmpdir(), 'ovhflow-fleet-tour-'));
    starts.folders.push(project);
    symlinkSync(join(root, 'bin'), join(project, 'bin'));
    const dev = await starts.start(project);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Your fleet as code'), readme.indexOf('### Drift, seen the next morning'));
    const shBlocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    const yamlBlocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    expect(shBlocks).toHaveLength(3);

    const shell = (command: string) =>
      run('bash', ['-c', command], {
        cwd: project,
        // The new site's admin password, by the reference the README's edit gives it.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: dev.facts.temporal.address, BLOG_ADMIN_PASSWORD: 'Tour-Admin-Pass-2026' },
        timeout: 180_000,
        maxBuffer: 16 * 1024 * 1024,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
      );
    const follow = async (block: string) => {
      for (const { command, shown } of commandsOf(block)) {
        // Without a terminal `apply` asks for --yes (the README says so under the block); the prompt is not shown then.
        const asRun = /^node bin\/ovhflow\.js apply /.test(command) && !command.includes('--yes') ? `${command} --yes` : command;
        const result = await shell(asRun);
        expect(result.code, `${asRun}\n${result.output}`).toBe(0);
        const lines = result.output.split('\n').map((line) => line.trim());
        for (const line of shown) {
          if (line.includes('…') || line.endsWith('Type yes to apply: yes')) continue;
          expect(lines, `${asRun}: the README shows "${line}"`).toContain(line);
        }
      }
    };

    await follow(shBlocks[0]!);

    // "Now edit fleet.yaml": the shop's CDN on, its folder on PHP 8.3, and the README's new WordPress site.
    const doc = yaml.load(readFileSync(join(project, 'fleet.yaml'), 'utf8')) as Doc;
    const services = doc.accounts.default!.services;
    const shop = services['demo-shop.ovh']!.sites!.find((site) => site.domain === 'shop.example.com')!;
    shop.cdn = 'active';
    (shop.php as Record<string, unknown>).engineVersion = '8.3';
    const newSite = yaml.load(yamlBlocks[0]!.replace(/^ {6}/gm, '')) as Record<string, { sites: Array<Record<string, unknown>> }>;
    services['demo-agency.ovh']!.sites = [...(services['demo-agency.ovh']!.sites ?? []), ...newSite['demo-agency.ovh']!.sites];
    writeFileSync(join(project, 'fleet.yaml'), yaml.dump(doc));

    await follow(shBlocks[1]!);
    await follow(shBlocks[2]!);
    // The admin password given by reference is in no output of the tour's processes.
    expect(dev.output()).not.toContain('Tour-Admin-Pass-2026');

    await starts.stop(dev);
  }, 300_000);
});
