// The resolver over in-memory trees: each step of the order (mapping, suffix, learnt prefix, symbol, fuzzy),
// what each answer says about itself, and the cases where the honest answer is "unresolved".

import * as assert from 'node:assert/strict';
import { parseText, type FormatId, type Frame } from '../../../src/core/trace';
import { rustPath } from '../../../src/core/resolve/symbols';
import {
  CONFIDENT,
  RepoTree,
  Resolver,
  checkLines,
  type FrameResult,
  type Resolution,
  type SourceTreeInfo,
} from '../../../src/core/resolve';

/** An in-memory repository at a ref: paths and their texts. */
export function memTree(
  repo: string,
  files: Record<string, string>,
  info: Partial<SourceTreeInfo> = {},
): RepoTree {
  const reads: string[] = [];
  const tree = new RepoTree(
    { repo, root: `/work/${repo}`, ref: 'v5.5.1', commit: 'c0ffee', exact: true, ...info },
    Object.keys(files),
    (want) => {
      reads.push(...want);
      return Promise.resolve(new Map(want.map((p) => [p, files[p] ?? null])));
    },
  );
  return tree;
}

function frame(fn: string | null, file: string | null, line: number | null): Frame {
  return {
    function: fn,
    file,
    line,
    column: null,
    module: null,
    address: null,
    offset: null,
    args: null,
    raw: '',
    docLine: 1,
  };
}

async function one(r: Resolver, f: Frame, format: FormatId): Promise<FrameResult> {
  return (await r.resolveFrames([f], format))[0]!;
}

function ok(r: FrameResult): Resolution {
  assert.ok(
    r.resolved,
    `expected an answer, got unresolved: ${r.resolved === null ? r.unresolved.reason : ''}`,
  );
  return r.resolved;
}

function unresolved(r: FrameResult): string {
  assert.equal(r.resolved, null, `expected unresolved, got ${JSON.stringify(r.resolved)}`);
  return r.resolved === null ? r.unresolved.reason : '';
}

const JAVA = (pkg: string, cls: string, extra = ''): string =>
  `package ${pkg};\n\npublic class ${cls} {\n  void place() {}\n}\n${extra}`;

describe('resolver', () => {
  describe('path suffix', () => {
    const tree = memTree('orders', {
      'src/Orders/OrderService.cs': 'namespace Acme.Orders;\nclass OrderService {}\n',
      'src/Billing/OrderService.cs': 'namespace Acme.Billing;\nclass OrderService {}\n',
      'lib/io.c': 'int io;\n',
      'src/app.ts': 'export function start() {}\n',
      'packages/legacy/src/app.ts': 'export function start() {}\n',
      'src/util/Helpers.cs': '',
      'vendor/util/Helpers.cs': '',
    });
    const r = new Resolver([tree]);

    it('maps a Windows build-agent path to the repository path by its longest suffix', async () => {
      const res = ok(
        await one(
          r,
          frame(
            'Acme.Orders.OrderService.Place',
            'C:\\agent\\_work\\3\\s\\src\\Orders\\OrderService.cs',
            212,
          ),
          'dotnet',
        ),
      );
      assert.equal(res.path, 'src/Orders/OrderService.cs');
      assert.equal(res.method, 'suffix');
      assert.equal(res.line, 212);
      assert.equal(res.ref, 'v5.5.1');
      assert.equal(res.commit, 'c0ffee');
      assert.ok(res.confidence >= CONFIDENT);
    });

    it('compares Windows paths without regard to case', async () => {
      const res = ok(await one(r, frame(null, 'D:\\BUILD\\SRC\\ORDERS\\ORDERSERVICE.CS', 3), 'dotnet'));
      assert.equal(res.path, 'src/Orders/OrderService.cs');
    });

    it('strips an rpmbuild prefix', async () => {
      const res = ok(
        await one(r, frame('io_read', '/home/builder/rpmbuild/BUILD/app-5.5.1/lib/io.c', 40), 'gdb'),
      );
      assert.equal(res.path, 'lib/io.c');
      assert.equal(res.confidence, 0.9);
    });

    it('reads webpack and vite URLs and prefers the whole relative path over a deeper copy', async () => {
      for (const file of [
        'webpack:///./src/app.ts',
        'webpack://orders-ui/./src/app.ts',
        'http://localhost:5173/src/app.ts?t=1700000000',
        'file:///home/dev/orders/src/app.ts',
      ]) {
        const res = ok(await one(r, frame('start', file, 1), 'node'));
        assert.equal(res.path, 'src/app.ts', file);
      }
    });

    it('says a runtime path is not source rather than guessing', async () => {
      assert.match(
        unresolved(await one(r, frame('Module._compile', 'node:internal/modules/cjs/loader', 1356), 'node')),
        /Node\.js runtime/,
      );
      assert.match(
        unresolved(
          await one(
            r,
            frame('f', '/rustc/90c541806f23a127002de5b4038be731ba1458ca/library/std/src/panicking.rs', 1),
            'rust',
          ),
        ),
        /Rust standard library/,
      );
    });

    it('reports equally good matches as unresolved with the candidates', async () => {
      const res = await one(r, frame('H.F', '/build/Helpers.cs', 3), 'cpp');
      assert.equal(res.resolved, null);
      if (res.resolved === null) {
        assert.match(res.unresolved.reason, /2 files match Helpers\.cs equally/);
        assert.deepEqual(res.unresolved.candidates?.map((c) => c.path).sort(), [
          'src/util/Helpers.cs',
          'vendor/util/Helpers.cs',
        ]);
      }
    });

    it('breaks a tie with the build prefix learnt from another frame of the trace', async () => {
      const results = await r.resolveFrames(
        [
          frame('a', '/mnt/agent/s/src/Billing/OrderService.cs', 1),
          frame('b', '/mnt/agent/s/src/util/Helpers.cs', 2),
        ],
        'cpp',
      );
      assert.equal(ok(results[0]!).path, 'src/Billing/OrderService.cs');
      const second = ok(results[1]!);
      assert.equal(second.path, 'src/util/Helpers.cs');
      assert.equal(second.method, 'suffix');
    });

    it('takes a root-level file when the trace names the repository folder above it', async () => {
      const app = memTree('chaoxing-autoflush', { 'config.js': '', 'lib/config.js': '' });
      const res = ok(
        await one(
          new Resolver([app]),
          frame('Config.read', '/home/spock/chaoxing-autoflush/config.js', 36),
          'node',
        ),
      );
      assert.equal(res.path, 'config.js');
      assert.ok(res.confidence >= CONFIDENT);
      // Without the folder name the two files are equally likely.
      assert.equal(
        (await one(new Resolver([app]), frame('Config.read', '/home/spock/other/config.js', 36), 'node'))
          .resolved,
        null,
      );
    });

    it('marks a match on the file name alone as uncertain', async () => {
      const res = ok(await one(r, frame('io', '/elsewhere/other/io.c', 5), 'go'));
      assert.equal(res.path, 'lib/io.c');
      assert.ok(res.confidence < CONFIDENT);
      assert.match(res.reason ?? '', /only the file name io\.c matched/);
    });
  });

  describe('explicit mappings', () => {
    const orders = memTree('orders', { 'src/Orders/OrderService.cs': '', 'Orders/OrderService.cs': '' });
    const billing = memTree('billing', { 'Orders/OrderService.cs': '' });

    it('maps a build prefix to a folder inside one repository', async () => {
      const r = new Resolver([orders, billing], {
        mappings: [{ from: 'C:\\agent\\_work\\3\\s', to: '/work/billing' }],
      });
      const res = ok(
        await one(r, frame(null, 'C:\\agent\\_work\\3\\s\\Orders\\OrderService.cs', 9), 'dotnet'),
      );
      assert.equal(res.repo, 'billing');
      assert.equal(res.path, 'Orders/OrderService.cs');
      assert.equal(res.method, 'mapping');
      assert.equal(res.confidence, 1);
    });

    it('maps to a repository-relative folder and falls through when the mapped file is missing', async () => {
      const r = new Resolver([orders], { mappings: [{ from: 'c:/agent/_work/3/s', to: 'src' }] });
      assert.equal(
        ok(await one(r, frame(null, 'C:\\agent\\_work\\3\\s\\Orders\\OrderService.cs', 9), 'dotnet')).path,
        'src/Orders/OrderService.cs',
      );
      const miss = await one(r, frame(null, 'C:\\agent\\_work\\3\\s\\Gone\\Nope.cs', 9), 'cpp');
      assert.match(
        unresolved(miss),
        /mapping .* gives src\/Gone\/Nope\.cs, which is not in the tree at v5\.5\.1/,
      );
    });

    it('refuses a mapping into a folder outside the repositories', () => {
      assert.throws(
        () => new Resolver([orders], { mappings: [{ from: '/build', to: '/etc' }] }),
        /not inside any of the repositories/,
      );
      assert.throws(
        () => new Resolver([orders], { mappings: [{ from: '/build', to: '../x' }] }),
        /may not contain "\.\."/,
      );
    });
  });

  describe('JVM symbols', () => {
    const tree = memTree('shop', {
      'orders/src/main/java/com/acme/orders/OrderService.java': JAVA(
        'com.acme.orders',
        'OrderService',
        'class Helper {\n}\n',
      ),
      'billing/src/main/java/com/acme/billing/OrderService.java': JAVA('com.acme.billing', 'OrderService'),
      'orders/src/main/kotlin/com/acme/orders/Utils.kt': 'package com.acme.orders\n\nfun helper() = 1\n',
      'shared/src/com/acme/misc/Odd.kt': 'package com.acme.weird\n\nclass Odd\n',
    });
    const r = new Resolver([tree]);

    it('finds the class by package among files of the same name', async () => {
      const res = ok(
        await one(r, frame('com.acme.orders.OrderService.place', 'OrderService.java', 212), 'java'),
      );
      assert.equal(res.path, 'orders/src/main/java/com/acme/orders/OrderService.java');
      assert.equal(res.method, 'symbol');
      assert.equal(res.line, 212);
      assert.ok(res.confidence >= CONFIDENT);
    });

    it('takes nested, anonymous and lambda classes to the outer class file', async () => {
      for (const fn of [
        'com.acme.orders.OrderService$Inner.run',
        'com.acme.orders.OrderService$1.run',
        'com.acme.orders.OrderService.lambda$place$0',
      ]) {
        const res = ok(await one(r, frame(fn, 'OrderService.java', 5), 'java'));
        assert.equal(res.path, 'orders/src/main/java/com/acme/orders/OrderService.java', fn);
      }
    });

    it('takes a Kotlin top-level function (FooKt) to Foo.kt, with or without the file name', async () => {
      assert.equal(
        ok(await one(r, frame('com.acme.orders.UtilsKt.helper', 'Utils.kt', 3), 'java')).path,
        'orders/src/main/kotlin/com/acme/orders/Utils.kt',
      );
      assert.equal(
        ok(await one(r, frame('com.acme.orders.UtilsKt.helper', null, 3), 'java')).path,
        'orders/src/main/kotlin/com/acme/orders/Utils.kt',
      );
    });

    it('finds a class declared in another file of its package', async () => {
      const res = ok(await one(r, frame('com.acme.orders.Helper.go', 'Helper.java', 7), 'java'));
      assert.equal(res.path, 'orders/src/main/java/com/acme/orders/OrderService.java');
      assert.match(res.reason ?? '', /Helper is declared in/);
    });

    it('finds a Kotlin file outside its package directory by its package declaration', async () => {
      const res = ok(await one(r, frame('com.acme.weird.Odd.f', 'Odd.kt', 3), 'java'));
      assert.equal(res.path, 'shared/src/com/acme/misc/Odd.kt');
      assert.ok(res.confidence >= CONFIDENT);
    });

    it('leaves JDK frames unresolved instead of guessing a file of the same name', async () => {
      const res = await one(r, frame('java.lang.Thread.run', 'Thread.java', 833), 'java');
      assert.equal(res.resolved, null);
    });
  });

  describe('.NET symbols', () => {
    const tree = memTree('orders', {
      'src/Acme.Orders/OrderService.cs': [
        'using System;',
        'namespace Acme.Orders',
        '{',
        '    public partial class OrderService',
        '    {',
        '        public async Task PlaceAsync(Order o)',
        '        {',
        '        }',
        '    }',
        '}',
      ].join('\n'),
      'src/Acme.Orders/OrderService.Validation.cs': [
        'namespace Acme.Orders;',
        '',
        'public partial class OrderService',
        '{',
        '    private void Validate(Order o)',
        '    {',
        '    }',
        '}',
      ].join('\n'),
      'src/Acme.Orders/Models.cs':
        'namespace Acme.Orders;\n\npublic record Order(int Id);\n\ninternal sealed class Basket\n{\n    public void Add() {}\n}\n',
      'src/Acme.Billing/OrderService.cs':
        'namespace Acme.Billing;\npublic class OrderService { void PlaceAsync() {} }\n',
    });
    const r = new Resolver([tree]);

    it('resolves an async state machine frame without symbols to the method declaration', async () => {
      const res = ok(
        await one(r, frame('Acme.Orders.OrderService.<PlaceAsync>d__12.MoveNext', null, null), 'dotnet'),
      );
      assert.equal(res.path, 'src/Acme.Orders/OrderService.cs');
      assert.equal(res.line, 6);
      assert.equal(res.method, 'symbol');
      assert.ok(res.confidence < CONFIDENT, 'a declaration line is not the frame line');
      assert.match(res.reason ?? '', /line 6 is the declaration/);
    });

    it('picks the part of a partial class that declares the method', async () => {
      const res = ok(await one(r, frame('Acme.Orders.OrderService.Validate', null, 5), 'dotnet'));
      assert.equal(res.path, 'src/Acme.Orders/OrderService.Validation.cs');
      assert.equal(res.line, 5);
    });

    it('does not take a type of the same name in a deeper namespace', async () => {
      const t = memTree('carriers', {
        'src/Repositories/TokenService.cs':
          'namespace Acme.Carriers.Contracts.Repositories\n{\n    public class TokenService\n    {\n        public Task ValidateAsync() {}\n    }\n}\n',
        'src/Repositories/V1/TokenService.cs':
          'namespace Acme.Carriers.Contracts.Repositories.V1\n{\n    public class TokenService\n    {\n        public Task ValidateAsync() {}\n    }\n}\n',
        'src/Legacy/Wrapper.cs':
          'namespace Acme.Carriers\n{\n  namespace Contracts.Repositories\n  {\n    class Inner {}\n  }\n}\n',
      });
      const r2 = new Resolver([t]);
      const res = ok(
        await one(
          r2,
          frame('Acme.Carriers.Contracts.Repositories.TokenService.ValidateAsync', null, 5),
          'dotnet',
        ),
      );
      assert.equal(res.path, 'src/Repositories/TokenService.cs');
      assert.equal(
        ok(await one(r2, frame('Acme.Carriers.Contracts.Repositories.Inner.Run', null, 5), 'dotnet')).path,
        'src/Legacy/Wrapper.cs',
      );
    });

    it('finds a type declared in a file named otherwise, and nested types in their outer type', async () => {
      assert.equal(
        ok(await one(r, frame('Acme.Orders.Basket.Add', null, 7), 'dotnet')).path,
        'src/Acme.Orders/Models.cs',
      );
      assert.equal(
        ok(await one(r, frame('Acme.Orders.Basket+Line.Total', null, 7), 'dotnet')).path,
        'src/Acme.Orders/Models.cs',
      );
      assert.equal(
        ok(
          await one(
            r,
            frame('Acme.Orders.OrderService.<>c__DisplayClass5_0.<Validate>b__0', null, 5),
            'dotnet',
          ),
        ).path,
        'src/Acme.Orders/OrderService.Validation.cs',
      );
    });
  });

  describe('module systems', () => {
    const tree = memTree('platform', {
      'go.mod': 'module github.com/acme/platform\n\ngo 1.21\n',
      'internal/store/db.go': 'package store\n',
      'libs/retry/go.mod': 'module github.com/acme/retry\n',
      'libs/retry/backoff.go': 'package retry\n',
      'crates/acme-core/Cargo.toml': '[package]\nname = "acme-core"\nversion = "0.1.0"\n',
      'crates/acme-core/src/lib.rs': '',
      'crates/acme-core/src/service/mod.rs': '',
      'app/pubspec.yaml': 'name: acme_app\n',
      'app/lib/src/cart.dart': '',
      'src/acme/orders/service.py': '',
    });
    const r = new Resolver([tree]);

    it('Go: a module cache path and a GOPATH path through go.mod, and an import path without a usable path', async () => {
      assert.equal(
        ok(
          await one(
            r,
            frame('github.com/acme/retry.Do', '/root/go/pkg/mod/github.com/acme/retry@v1.2.3/backoff.go', 9),
            'go',
          ),
        ).path,
        'libs/retry/backoff.go',
      );
      const gopath = ok(
        await one(
          r,
          frame(
            'github.com/acme/platform/internal/store.(*DB).Get',
            '/home/ci/go/src/github.com/acme/platform/internal/store/db.go',
            3,
          ),
          'go',
        ),
      );
      assert.equal(gopath.path, 'internal/store/db.go');
      const byImport = ok(
        await one(r, frame('github.com/acme/platform/internal/store.(*DB).Get', '/tmp/x/db.go', 3), 'go'),
      );
      assert.equal(byImport.path, 'internal/store/db.go');
      assert.equal(byImport.method, 'symbol');
    });

    it('Rust: registry and git checkout paths to the crate in the workspace', async () => {
      assert.equal(
        ok(
          await one(
            r,
            frame(
              'acme_core::service::run',
              '/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/acme-core-0.1.0/src/service/mod.rs',
              12,
            ),
            'rust',
          ),
        ).path,
        'crates/acme-core/src/service/mod.rs',
      );
      assert.equal(
        ok(
          await one(
            r,
            frame(
              'acme_core::run',
              '/home/u/.cargo/git/checkouts/acme-core-0123456789abcdef/1a2b3c4/src/lib.rs',
              3,
            ),
            'rust',
          ),
        ).path,
        'crates/acme-core/src/lib.rs',
      );
    });

    it('Rust: a path-less function by its module path, generics and closures removed, at its declaration', async () => {
      const crate = memTree('servo', {
        'components/style/Cargo.toml': '[package]\nname = "style"\n\n[lib]\npath = "lib.rs"\n',
        'components/style/lib.rs': 'pub mod gecko;\n',
        'components/style/gecko/wrapper.rs':
          'use x;\n\nimpl<E> Foo for E {\n    unsafe fn set_dirty(&self) {}\n}\n',
      });
      const res = ok(
        await one(
          new Resolver([crate]),
          frame("<style::gecko::wrapper::GeckoElement<'le> as style::dom::TElement>::set_dirty", null, null),
          'rust',
        ),
      );
      assert.deepEqual([res.path, res.line, res.method], ['components/style/gecko/wrapper.rs', 4, 'symbol']);
      assert.ok(res.confidence < CONFIDENT);
      assert.deepEqual(rustPath('style::parallel::traverse_dom::{{closure}}::{{closure}}'), [
        'style',
        'parallel',
        'traverse_dom',
      ]);
      assert.deepEqual(rustPath('<alloc::vec::Vec<T> as core::ops::Drop>::drop::h0123456789abcdef'), [
        'alloc',
        'vec',
        'Vec',
        'drop',
      ]);
    });

    it('Dart: package: URIs to the package lib folder; foreign packages stay unresolved', async () => {
      assert.equal(
        ok(await one(r, frame('Cart.add', 'package:acme_app/src/cart.dart', 4), 'dart')).path,
        'app/lib/src/cart.dart',
      );
      assert.equal(
        (await one(r, frame('Element.rebuild', 'package:flutter/src/widgets/framework.dart', 4692), 'dart'))
          .resolved,
        null,
      );
    });

    it('Python: site-packages paths by their package-relative part, modules by name', async () => {
      assert.equal(
        ok(await one(r, frame('place', '/usr/lib/python3/site-packages/acme/orders/service.py', 3), 'python'))
          .path,
        'src/acme/orders/service.py',
      );
      const f = frame('place', null, 3);
      f.module = 'acme.orders.service';
      assert.equal(ok(await one(r, f, 'python')).path, 'src/acme/orders/service.py');
    });
  });

  describe("dependencies' copies are not the product's files", () => {
    const tree = memTree('product', {
      'db/utils.py': '',
      'vendor/golang.org/x/sync/waitgroup.go': '',
      'src/lib.rs': '',
      'src/module.js': '',
      'deps/stdlib/gen_server.erl': '',
    });
    const r = new Resolver([tree]);

    it('a site-packages path must match from the package root', async () => {
      const res = await one(
        r,
        frame('execute', 'D:\\p\\.venv\\lib\\site-packages\\django\\db\\utils.py', 90),
        'python',
      );
      assert.match(unresolved(res), /dependency's copy/);
      // The same path again (answers are memoised per path, and must not be changed by the first use).
      const again = await one(
        r,
        frame('x', 'D:\\p\\.venv\\lib\\site-packages\\django\\db\\utils.py', 7),
        'python',
      );
      assert.match(unresolved(again), /dependency's copy/);
    });

    it('GOROOT paths are the Go standard library', async () => {
      for (const file of [
        '/usr/local/go/src/sync/waitgroup.go',
        'C:/Go/src/pkg/net/http/server.go',
        '/usr/lib/go-1.21/src/runtime/panic.go',
      ])
        assert.match(
          unresolved(await one(r, frame('sync.(*WaitGroup).Wait', file, 1), 'go')),
          /Go standard library/,
          file,
        );
    });

    it('Cargo checkouts under any CARGO_HOME are the dependency, not the product', async () => {
      for (const file of [
        '/cargo/git/checkouts/wappalyzer-0123456789abcdef/fb82bb4/src/lib.rs',
        '/usr/local/cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.28.0/src/lib.rs',
      ])
        assert.equal((await one(r, frame('x::y', file, 117), 'rust')).resolved, null, file);
    });

    it("Node's own modules by bare name are runtime code", async () => {
      assert.match(
        unresolved(await one(r, frame('Module._compile', 'module.js', 652), 'node')),
        /Node\.js runtime module/,
      );
    });

    it('Elixir-style Erlang calls name the module', async () => {
      const res = ok(await one(r, frame(':gen_server.try_dispatch/4', null, null), 'elixir'));
      assert.equal(res.path, 'deps/stdlib/gen_server.erl');
    });
  });

  describe('fuzzy names', () => {
    const tree = memTree('ui', {
      'src/orders/OrderProcessor.ts': 'export class OrderProcessor {\n  submitOrder() {}\n}\n',
      'src/orders/OrderProjector.ts': 'export class OrderProjector {}\n',
    });
    const r = new Resolver([tree]);

    it('offers a renamed file as a guess only when it mentions the function', async () => {
      const res = ok(
        await one(r, frame('OrderProcesor.submitOrder', '/build/src/orders/OrderProcesor.ts', 2), 'node'),
      );
      assert.equal(res.path, 'src/orders/OrderProcessor.ts');
      assert.equal(res.method, 'fuzzy');
      assert.ok(res.confidence <= 0.5);
      assert.match(res.reason ?? '', /a guess/);
    });

    it('is unresolved when no similar name mentions the function', async () => {
      assert.match(
        unresolved(await one(r, frame('Order.refund', '/build/src/orders/OrderProcesor.ts', 2), 'node')),
        /do not mention refund/,
      );
    });
  });

  describe('hostile paths from traces', () => {
    const tree = memTree('o', { 'etc/passwd.c': '', 'src/Foo.java': 'package x;\nclass Foo {}\n' });
    const r = new Resolver([tree]);

    it('only ever looks paths up in the index: nothing escapes the tree or becomes an option', async () => {
      for (const file of [
        '../../etc/passwd',
        '/etc/shadow',
        '--upload-pack=touch x/Foo.java',
        '$(touch x)/Foo.java',
        'a\u0000b/Foo.java',
        '\\\\evil\\share\\..\\..\\etc\\passwd',
        'x/'.repeat(50000) + 'y.c',
        '\uFFFD\uD800/Foo.java',
      ]) {
        const res = await one(r, frame('f', file, 1), 'cpp');
        if (res.resolved)
          assert.ok(tree.has(res.resolved.path), `${file.slice(0, 40)} → ${res.resolved.path}`);
      }
    });

    it('reads hostile source files at the ref in linear time (declaration scans are per bounded line)', async () => {
      const evil = memTree('evil', {
        'src/Evil.cs':
          'new '.repeat(100000) +
          '\n' +
          'm\r['.repeat(50000) +
          '\n' +
          'namespace\tAcme.Foo' +
          '\t'.repeat(100000),
        'src/Other.cs': ' '.repeat(100000) + 'Foo\r' + '\r'.repeat(100000) + '>(',
        'src/com/acme/Evil.kt': 'package\tcom.acme' + '\t'.repeat(100000) + 'package\tcom.acme',
        'crates/x/Cargo.toml': '[package]\nname = "x"\n',
        'crates/x/src/lib.rs': 'ub\tfn\tFoo\rpub(\r'.repeat(50000),
      });
      const rr = new Resolver([evil]);
      // Quadratic backtracking on these would take hours: the suite's timeout is the guard, not a measurement.
      await rr.resolveFrames(
        [
          frame('Acme.Foo.Evil.Run', null, 1),
          frame('Acme.Foo.Missing.Run', null, 1),
          frame('com.acme.Gone.f', 'Evil.kt', 1),
          frame('x::Foo', null, null),
        ],
        'dotnet',
      );
      await rr.resolveFrames([frame('com.acme.Gone.f', 'Evil.kt', 1)], 'java');
      await rr.resolveFrames([frame('x::Foo', null, null)], 'rust');
    });

    it('answers a 10,000-frame trace of long hostile names in bounded time', async () => {
      const frames = Array.from({ length: 10000 }, (_, i) =>
        frame(`f${i}`, `/${'a'.repeat(i % 500)}/${'b/'.repeat(i % 50)}Foo${i % 7}.java`, i),
      );
      const results = await r.resolveFrames(frames, 'cpp');
      assert.equal(results.length, 10000);
    });
  });

  describe('refs and lines', () => {
    it('caps confidence when the ref is only a release branch, saying why', async () => {
      const tree = memTree(
        'o',
        { 'lib/io.c': '' },
        { ref: 'release/5.5', exact: false, refNote: 'no tag for 5.5.1; using the tip of release/5.5' },
      );
      const res = ok(await one(new Resolver([tree]), frame('f', '/b/x/lib/io.c', 1), 'gdb'));
      assert.ok(res.confidence < CONFIDENT);
      assert.match(res.reason ?? '', /release\/5\.5/);
    });

    it('demotes an answer whose line is past the end of the file at the ref', async () => {
      const tree = memTree('o', { 'lib/io.c': 'a\nb\nc\n' });
      const results = await new Resolver([tree]).resolveFrames(
        [frame('f', '/b/x/lib/io.c', 2), frame('g', '/b/x/lib/io.c', 900)],
        'gdb',
      );
      await checkLines(results, [tree]);
      assert.ok(ok(results[0]!).confidence >= CONFIDENT);
      const late = ok(results[1]!);
      assert.ok(late.confidence <= 0.3);
      assert.match(late.reason ?? '', /line 900 is past the end of lib\/io\.c \(3 lines\) at v5\.5\.1/);
    });

    it('searches several repositories together', async () => {
      const a = memTree('orders', { 'src/Orders/OrderService.cs': '' });
      const b = memTree('common', { 'src/Common/Retry.cs': '' });
      const r = new Resolver([a, b]);
      const [t] = parseText(
        [
          'System.InvalidOperationException: boom',
          '   at Acme.Common.Retry.Run() in C:\\b\\src\\Common\\Retry.cs:line 10',
          '   at Acme.Orders.OrderService.Place() in C:\\b\\src\\Orders\\OrderService.cs:line 20',
        ].join('\n'),
      );
      const results = await r.resolveTrace(t!, t!.format);
      const got = [...results.values()].map((x) => ok(x)).map((x) => `${x.repo}:${x.path}:${x.line}`);
      assert.deepEqual(got, ['common:src/Common/Retry.cs:10', 'orders:src/Orders/OrderService.cs:20']);
    });
  });
});
