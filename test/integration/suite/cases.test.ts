// Cases in a real VS Code: Start Case from a tag creates and checks out the case's branch; a dirty tree is
// refused; findings attached from a selection and from a trace frame land in the journal; the handover quotes
// the code as it is at the case's ref, not as the working tree has it.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EscalateApi } from '../../../src/extension';
import { readInfo } from './info';
import { until } from './until';

const info = readInfo();
const ID = 'SR-100200';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: info.workspace, encoding: 'utf8' }).trim();
}

function journal(api: EscalateApi): Record<string, unknown>[] {
  const file = path.join(api.cases.storeRoot()!, ID, 'findings.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('cases', function () {
  this.timeout(60_000);
  let api: EscalateApi;
  const service = path.join(info.workspace, info.customerTrace.file);
  /** The file as the checked-out branch has it (tests edit it and put it back). */
  const committed = (): string => git('show', `HEAD:${info.customerTrace.file}`) + '\n';

  before(async () => {
    const ext = vscode.extensions.getExtension<EscalateApi>('escalate.escalate');
    assert.ok(ext);
    api = await ext.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(service, committed());
    git('checkout', '-q', 'main');
    await api.cases.refresh();
    assert.equal(api.cases.active(), null, 'back on main, no case is active');
  });

  it('starts a case from a tag: records it, creates its branch at the tag and checks it out', async () => {
    await vscode.commands.executeCommand('escalate.startCase', {
      id: ID,
      title: 'NPE on checkout',
      customer: 'ACME Retail',
      severity: 'high',
      version: '1.0.0',
      ref: 'v1.0.0',
    });
    assert.equal(git('rev-parse', '--abbrev-ref', 'HEAD'), `case/${ID}-npe-on-checkout`);
    assert.equal(git('rev-parse', 'HEAD'), git('rev-parse', 'v1.0.0^{commit}'));
    const stored = JSON.parse(
      fs.readFileSync(path.join(api.cases.storeRoot()!, ID, 'case.json'), 'utf8'),
    ) as Record<string, unknown>;
    assert.equal(stored.ref, 'v1.0.0');
    assert.equal(stored.customer, 'ACME Retail');
    assert.equal(stored.workingBranch, `case/${ID}-npe-on-checkout`);
    assert.deepEqual(api.cases.active(), { id: ID, ref: 'v1.0.0' });
    assert.equal(api.cases.statusBar(), `$(briefcase) ${ID} @ v1.0.0`);
  });

  it('refuses to start a case on a dirty working tree and changes nothing', async () => {
    const serviceText = committed();
    fs.writeFileSync(service, serviceText + '// local edit\n');
    try {
      const started = await vscode.commands.executeCommand('escalate.startCase', {
        id: 'SR-100201',
        title: 'Another',
        customer: 'ACME',
        severity: 'low',
        version: '1.1.0',
        ref: 'v1.1.0',
      });
      assert.equal(started, undefined, 'refused');
      assert.equal(fs.existsSync(path.join(api.cases.storeRoot()!, 'SR-100201')), false, 'no case recorded');
      assert.equal(
        git('rev-parse', '--abbrev-ref', 'HEAD'),
        `case/${ID}-npe-on-checkout`,
        'still on the case branch',
      );
    } finally {
      fs.writeFileSync(service, serviceText);
    }
  });

  it('attaches a finding from a selection in a source file', async () => {
    const serviceText = committed();
    assert.equal(fs.readFileSync(service, 'utf8'), serviceText, 'the file as at v1.0.0');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(service));
    editor.selection = new vscode.Selection(3, 0, 4, 20);
    await vscode.commands.executeCommand('escalate.attachToCase', {
      kind: 'root-cause',
      text: 'place() dereferences a null cart',
    });
    const f = journal(api).at(-1)!;
    assert.equal(f.kind, 'finding');
    assert.equal(f.findingKind, 'root-cause');
    assert.equal(f.text, 'place() dereferences a null cart');
    assert.deepEqual(f.from, { type: 'selection' });
    const code = f.code as Record<string, unknown>;
    assert.equal(code.path, info.customerTrace.file);
    assert.deepEqual([code.startLine, code.endLine], [4, 5]);
    assert.equal(code.commit, git('rev-parse', 'HEAD'));
    assert.equal(code.excerpt, serviceText.split('\n').slice(3, 5).join('\n'));
  });

  it('attaches a finding from a trace frame, pointing at the code at the case ref', async () => {
    const trace = vscode.Uri.file(path.join(info.workspace, info.customerTrace.path));
    const editor = await vscode.window.showTextDocument(trace);
    await until('the trace resolved at the case ref', async () =>
      (await api.analyse(trace)).refLabel === 'v1.0.0' ? true : undefined,
    );
    editor.selection = new vscode.Selection(2, 5, 2, 5);
    await vscode.commands.executeCommand('escalate.attachToCase', {
      kind: 'observation',
      text: 'NPE thrown here',
    });
    const f = journal(api).at(-1)!;
    assert.equal(f.findingKind, 'observation');
    assert.equal((f.from as Record<string, unknown>).type, 'frame');
    assert.match(
      String((f.from as Record<string, unknown>).frame),
      /OrderService\.place\(OrderService\.java:5\)/,
    );
    const code = f.code as Record<string, unknown>;
    assert.equal(code.path, info.customerTrace.file);
    assert.equal(code.ref, 'v1.0.0');
    assert.equal(code.startLine, info.customerTrace.line);
    assert.match(String(code.excerpt), /return repository\.save/);
  });

  it("prepares the handover with the code quoted as it is at the case's ref, not the working tree's", async () => {
    // The working tree changes the quoted lines; the customer runs v1.0.0.
    const serviceText = committed();
    fs.writeFileSync(
      service,
      serviceText.replace('return repository.save', 'return null; // experiment; was save'),
    );
    try {
      const out = await vscode.commands.executeCommand<{ file: string; text: string }>(
        'escalate.prepareHandover',
      );
      assert.ok(out, 'the handover was written');
      assert.equal(out.file, path.join(api.cases.storeRoot()!, ID, 'handover.md'));
      const text = fs.readFileSync(out.file, 'utf8');
      assert.equal(text, out.text);
      assert.match(text, new RegExp(`# Handover: ${ID}`));
      assert.match(text, /ACME Retail/);
      assert.match(text, /place\(\) dereferences a null cart/);
      assert.match(text, /return repository\.save\(Order\.from\(cart\.items\(\)\)\);/, 'the line at v1.0.0');
      assert.doesNotMatch(text, /experiment/, "nothing of the working tree's edit");
    } finally {
      fs.writeFileSync(service, serviceText);
    }
  });
});
