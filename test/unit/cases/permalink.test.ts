// Permalinks from remote URLs in the forms git takes (scp-like ssh, ssh://, https with credentials) for the
// four hosts; no link for unknown hosts, short commits or paths that are not repository-relative.

import * as assert from 'node:assert/strict';
import { permalink, webRemote } from '../../../src/core/cases';

const C = '0123456789abcdef0123456789abcdef01234567';
const FILE = 'src/main/java/com/acme/Order Service.java';
/** Lines 10–12 of FILE on GitHub, whichever form of the remote URL names the repository. */
const GITHUB = `https://github.com/acme/orders/blob/${C}/src/main/java/com/acme/Order%20Service.java#L10-L12`;
/** Azure DevOps puts the file and the lines in the query, the same for every form of its remote URL. */
const AZURE_QUERY = `?path=%2Fsrc%2Fmain%2Fjava%2Fcom%2Facme%2FOrder%20Service.java&version=GC${C}&line=10&lineEnd=13&lineStartColumn=1&lineEndColumn=1&lineStyle=plain&_a=contents`;

describe('permalinks', () => {
  const cases: [string, string, string][] = [
    ['git@github.com:acme/orders.git', GITHUB, 'github scp'],
    ['https://github.com/acme/orders', GITHUB, 'github https'],
    ['https://dana:ghp_SECRET@github.com/acme/orders.git', GITHUB, 'github token dropped'],
    ['ssh://git@ssh.github.com:443/acme/orders.git', GITHUB, 'github ssh over 443'],
    [
      'git@gitlab.com:acme/platform/orders.git',
      `https://gitlab.com/acme/platform/orders/-/blob/${C}/src/main/java/com/acme/Order%20Service.java#L10-12`,
      'gitlab subgroup',
    ],
    [
      'https://gitlab.acme.internal:8443/team/orders.git',
      `https://gitlab.acme.internal:8443/team/orders/-/blob/${C}/src/main/java/com/acme/Order%20Service.java#L10-12`,
      'self-hosted gitlab',
    ],
    [
      'git@bitbucket.org:acme/orders.git',
      `https://bitbucket.org/acme/orders/src/${C}/src/main/java/com/acme/Order%20Service.java#lines-10:12`,
      'bitbucket',
    ],
    [
      'https://acme@dev.azure.com/acme/Orders/_git/orders-svc',
      `https://dev.azure.com/acme/Orders/_git/orders-svc${AZURE_QUERY}`,
      'azure https',
    ],
    [
      'git@ssh.dev.azure.com:v3/acme/Orders/orders-svc',
      `https://dev.azure.com/acme/Orders/_git/orders-svc${AZURE_QUERY}`,
      'azure ssh',
    ],
    [
      'https://acme.visualstudio.com/DefaultCollection/Orders/_git/orders-svc',
      `https://acme.visualstudio.com/Orders/_git/orders-svc${AZURE_QUERY}`,
      'azure visualstudio.com',
    ],
  ];
  for (const [remote, link, label] of cases)
    it(label, () => assert.equal(permalink(remote, C, FILE, { startLine: 10, endLine: 12 }), link));

  it('one line', () => {
    assert.equal(
      permalink('git@github.com:acme/orders.git', C, 'a.ts', { startLine: 7 }),
      `https://github.com/acme/orders/blob/${C}/a.ts#L7`,
    );
    assert.equal(
      permalink('git@bitbucket.org:acme/orders.git', C, 'a.ts', { startLine: 7 }),
      `https://bitbucket.org/acme/orders/src/${C}/a.ts#lines-7`,
    );
  });

  it('no link for unknown hosts, local remotes and odd shapes', () => {
    for (const remote of [
      'git@git.acme.internal:orders.git',
      '/srv/git/orders.git',
      'file:///srv/git/orders.git',
      'C:\\repos\\orders',
      'https://github.com/acme',
      'https://github.com/acme/orders/extra',
      'https://dev.azure.com/acme/_git',
      'not a url',
    ])
      assert.equal(permalink(remote, C, 'a.ts', { startLine: 1 }), null, remote);
  });

  it('a host named in the settings is used', () => {
    assert.deepEqual(webRemote('git@git.acme.internal:team/orders.git', { 'git.acme.internal': 'gitlab' }), {
      kind: 'gitlab',
      origin: 'https://git.acme.internal',
      segments: ['team', 'orders'],
    });
  });

  it('no link for a short or hostile commit, a hostile path or a bad range', () => {
    const r = 'git@github.com:acme/orders.git';
    assert.equal(permalink(r, 'abc123', 'a.ts', { startLine: 1 }), null);
    assert.equal(permalink(r, 'HEAD', 'a.ts', { startLine: 1 }), null);
    assert.equal(permalink(r, C, '../etc/passwd', { startLine: 1 }), null);
    assert.equal(permalink(r, C, '/etc/passwd', { startLine: 1 }), null);
    assert.equal(permalink(r, C, 'a.ts', { startLine: 5, endLine: 2 }), null);
    assert.equal(permalink(r, C, 'a.ts', { startLine: 0 }), null);
  });

  it('encodes what a path may hold so that it cannot change the link', () => {
    assert.equal(
      permalink('git@github.com:acme/orders.git', C, 'docs/a#b?c.md', { startLine: 1 }),
      `https://github.com/acme/orders/blob/${C}/docs/a%23b%3Fc.md#L1`,
    );
  });
});
