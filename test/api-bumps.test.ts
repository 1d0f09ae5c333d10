// The changeset bump check (scripts/check-api-bumps.mjs) on fixture reports: the past mistake
// — `hookResult` dropped from @knoxcall/core/adapter's answered outcome, released as a patch —
// fails; the same change with a minor changeset passes; from 1.0 it needs a major; an added
// export needs a patch on 0.x and a minor from 1.0; a missing changeset fails.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'api-bumps');

function check(changesets: string, versions: string[] = []): { code: number; output: string } {
  const args = [
    join(repoRoot, 'scripts', 'check-api-bumps.mjs'),
    '--reports',
    join(fixtures, 'reports'),
    '--released',
    join(fixtures, 'released'),
    '--changesets',
    join(fixtures, changesets),
    ...versions.flatMap((pair) => ['--version', pair]),
  ];
  try {
    return { code: 0, output: execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('changeset bumps match API report changes', () => {
  it('fails a removed member of an /adapter export released as a patch on 0.x', () => {
    const result = check('changesets-patch');
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      '@knoxcall/core@0.1.0 changed its public API since the last release and needs at least a minor changeset; the pending changesets give it a patch.',
    );
    expect(result.output).toContain('core.adapter: breaking (changed WebhookOutcome)');
    expect(result.output).not.toContain('@knoxcall/testing@');
  });

  it('passes the same change with a minor changeset on 0.x, and an addition with a patch', () => {
    const result = check('changesets-minor');
    expect(result.output).toContain('2 packages changed');
    expect(result.code).toBe(0);
  });

  it('from 1.0 a breaking change needs a major and an addition a minor', () => {
    const result = check('changesets-minor', ['@knoxcall/core=1.2.0', '@knoxcall/testing=1.0.0']);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      '@knoxcall/core@1.2.0 changed its public API since the last release and needs at least a major changeset; the pending changesets give it a minor.',
    );
    expect(result.output).toContain(
      '@knoxcall/testing@1.0.0 changed its public API since the last release and needs at least a minor changeset; the pending changesets give it a patch.',
    );
    expect(result.output).toContain('testing: additive (added signWebhookAt)');
  });

  it('fails a changed API with no changeset for the package', () => {
    const result = check('changesets-none');
    expect(result.code).toBe(1);
    expect(result.output).toContain('the pending changesets give it none.');
  });

  it('passes when the reports equal the released baseline, whatever the changesets say', () => {
    const args = [
      join(repoRoot, 'scripts', 'check-api-bumps.mjs'),
      '--reports',
      join(fixtures, 'released'),
      '--released',
      join(fixtures, 'released'),
      '--changesets',
      join(fixtures, 'changesets-none'),
    ];
    expect(execFileSync(process.execPath, args, { encoding: 'utf8' })).toContain('(0 packages changed)');
  });
});
