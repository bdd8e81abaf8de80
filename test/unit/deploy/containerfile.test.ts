/**
 * deploy/Containerfile agrees with what `mesh-exp schedule` writes into the CronJob (the user the pod
 * runs as, the working directory and mounts, the entrypoint) and with the vegeta version mesh-exp
 * checks for. No image is built here: this keeps the two from drifting apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VEGETA_VERSION } from '../../../src/load/vegeta/find-vegeta.js';
import { FILES_DIR, REPORTS_DIR, RUN_AS, WORK_DIR } from '../../../src/schedule/objects.js';
import { REPO_ROOT } from '../../support/cli.js';

const text = readFileSync(path.join(REPO_ROOT, 'deploy/Containerfile'), 'utf8');
const lines = text.split('\n').filter((l) => !l.startsWith('#'));

describe('deploy/Containerfile', () => {
  it('is multi-stage: npm ci and tsc in a build stage, production dependencies only at runtime', () => {
    expect(text).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(text).toMatch(/^RUN npm ci --ignore-scripts$/m);
    expect(text).toMatch(/^RUN npx tsc -p tsconfig\.build\.json$/m);
    expect(text).toMatch(/^RUN npm ci --omit=dev --ignore-scripts$/m);
    expect(text).toMatch(/^ARG NODE_IMAGE=docker\.io\/library\/node:20-/m);
  });

  it('runs mesh-exp as the non-root user the CronJob\'s pod asks for, in its working directory', () => {
    expect(lines).toContain(`USER ${RUN_AS}:${RUN_AS}`);
    expect(text).toContain(`useradd --uid ${RUN_AS}`);
    expect(lines).toContain(`WORKDIR ${WORK_DIR}`);
    expect(text).toContain(`mkdir -p ${FILES_DIR} ${REPORTS_DIR}`);
    expect(lines).toContain('ENTRYPOINT ["mesh-exp"]');
    expect(text).toContain('ln -s /opt/mesh-exp/bin/mesh-exp.js /usr/local/bin/mesh-exp');
  });

  it('pins vegeta to the version mesh-exp checks for', () => {
    expect(lines).toContain(`ARG VEGETA_VERSION=${VEGETA_VERSION}`);
  });
});
