// Planted crashes for the buckets benchmark: a fixed number of distinct crashes, each written many times
// with what differs between occurrences of the same crash varied (messages with ids, line numbers of the
// library frames, lambda and closure numbers, bundle hashes, thread names, addresses), so that a correct
// signature groups each crash exactly once. The generator records what it planted in a manifest.

import { LineWriter, logLine, rng, timestamp, VOCABULARY, type Vocabulary } from './generate';

export interface Planted {
  id: number;
  family: string;
  /** 1-based line of each occurrence's first line, in the log. */
  lines: number[];
}

export interface Manifest {
  bytes: number;
  lines: number;
  planted: Planted[];
  /** Corpus traces mixed in as background, by corpus file, with how often each was written. */
  background: { file: string; count: number }[];
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: R, n: number): number => Math.floor(r() * n);

const JAVA_TYPES = [
  'java.lang.IllegalStateException',
  'java.lang.NullPointerException',
  'java.util.NoSuchElementException',
  'com.acme.OrderException',
  'java.lang.IllegalArgumentException',
];
const DOTNET_TYPES = [
  'System.InvalidOperationException',
  'System.NullReferenceException',
  'System.ArgumentException',
  'Acme.Billing.PaymentDeclinedException',
];
const PY_TYPES = ['KeyError', 'ValueError', 'AttributeError', 'acme.errors.QuotaExceeded'];
const JS_TYPES = ['TypeError', 'RangeError', 'Error', 'SyntaxError'];
const RUBY_TYPES = ['NoMethodError', 'ArgumentError', 'ActiveRecord::RecordNotFound'];
const PHP_TYPES = ['RuntimeException', 'InvalidArgumentException', 'Acme\\Billing\\DeclinedException'];

/** One occurrence of crash `i` of `family`; `r` varies what differs between occurrences. */
function occurrence(family: string, i: number, r: R): string[] {
  const id = 1000 + int(r, 900000);
  switch (family) {
    case 'java': {
      const type = JAVA_TYPES[i % JAVA_TYPES.length]!;
      return [
        `Exception in thread "http-nio-8080-exec-${1 + int(r, 40)}" ${type}: order ${id} rejected`,
        `\tat java.base/java.util.Objects.requireNonNull(Objects.java:${200 + int(r, 40)})`,
        `\tat com.acme.m${i % 7}.Service${i}.op${i % 5}(Service${i}.java:${40 + (i % 50)})`,
        `\tat com.acme.web.Controller${i % 13}.lambda$post$${int(r, 9)}(Controller${i % 13}.java:${20 + (i % 9)})`,
        `\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:${880 + int(r, 20)})`,
        `\tat com.acme.web.Filter.doFilter(Filter.java:33)`,
        `\tat java.base/java.lang.Thread.run(Thread.java:833)`,
      ];
    }
    case 'dotnet': {
      const type = DOTNET_TYPES[i % DOTNET_TYPES.length]!;
      return [
        `${type}: Request ${id} failed`,
        `   at System.Linq.ThrowHelper.ThrowNoElementsException()`,
        `   at Acme.Billing.Invoice${i}.Charge${i % 4}(Decimal amount) in C:\\agent\\_work\\${int(r, 9)}\\s\\src\\Billing\\Invoice${i}.cs:line ${30 + (i % 40)}`,
        `   at Acme.Billing.Api.<Post>d__${int(r, 30)}.MoveNext() in C:\\agent\\_work\\${int(r, 9)}\\s\\src\\Billing\\Api.cs:line ${50 + (i % 7)}`,
        `   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(Object controller)`,
      ];
    }
    case 'python': {
      const type = PY_TYPES[i % PY_TYPES.length]!;
      return [
        'Traceback (most recent call last):',
        `  File "/usr/lib/python3.11/site-packages/flask/app.py", line ${1400 + int(r, 80)}, in full_dispatch_request`,
        '    rv = self.dispatch_request()',
        `  File "/srv/acme/views/v${i % 9}.py", line ${10 + (i % 30)}, in handle_${i}`,
        `    return quota_${i}(request)`,
        `  File "/srv/acme/quota/q${i}.py", line ${5 + (i % 20)}, in quota_${i}`,
        `    raise ${type}('tenant ${id}')`,
        `${type}: 'tenant ${id}'`,
      ];
    }
    case 'node': {
      const type = JS_TYPES[i % JS_TYPES.length]!;
      const hash = (0x100000 + int(r, 0xeffff)).toString(16);
      return [
        `${type}: Cannot read properties of undefined (reading 'id${id}')`,
        `    at render${i} (/srv/app/dist/main.${hash}.js:${1 + (i % 3)}:${1000 + i})`,
        `    at Module${i % 11}.handle (/srv/app/src/handlers/h${i % 11}.ts:${12 + (i % 20)}:5)`,
        `    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)`,
        `    at process.processTicksAndRejections (node:internal/process/task_queues:${90 + int(r, 5)}:5)`,
      ];
    }
    case 'go':
      return [
        `panic: runtime error: index out of range [${int(r, 9)}] with length ${int(r, 9)}`,
        '',
        `goroutine ${1 + int(r, 5000)} [running]:`,
        `github.com/acme/orders/store.(*Repo${i}).Find${i % 6}.func${1 + int(r, 3)}(0xc000${int(r, 0xffff).toString(16)})`,
        `\t/home/ci/orders/store/repo${i}.go:${40 + (i % 50)} +0x${int(r, 0xfff).toString(16)}`,
        `github.com/acme/orders/store.(*Repo${i}).Find${i % 6}(...)`,
        `\t/home/ci/orders/store/repo${i}.go:${30 + (i % 10)}`,
        'main.main()',
        `\t/home/ci/orders/cmd/orders/main.go:31 +0x85`,
        'exit status 2',
      ];
    case 'rust':
      return [
        `thread 'tokio-runtime-worker' panicked at src/jobs/job${i}.rs:${10 + (i % 90)}:${5 + (i % 20)}:`,
        `called \`Option::unwrap()\` on a \`None\` value (job ${id})`,
        'stack backtrace:',
        `   0: rust_begin_unwind`,
        `             at /rustc/${(0x1000000 + int(r, 0xeffffff)).toString(16)}/library/std/src/panicking.rs:645:5`,
        `   1: core::panicking::panic`,
        `             at /rustc/aaaa/library/core/src/panicking.rs:144:5`,
        `   2: worker::jobs::job${i}::run${i % 4}`,
        `             at ./src/jobs/job${i}.rs:${10 + (i % 90)}:${5 + (i % 20)}`,
        `   3: worker::main::{{closure}}`,
        `             at ./src/main.rs:${20 + (i % 3)}:9`,
        'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.',
      ];
    case 'ruby': {
      const type = RUBY_TYPES[i % RUBY_TYPES.length]!;
      return [
        `app/models/order${i}.rb:${10 + (i % 60)}:in 'Order${i}#settle${i % 3}': undefined method 'total' for nil (${type})`,
        `\tfrom app/controllers/orders_controller.rb:${20 + (i % 8)}:in 'OrdersController#create'`,
        `\tfrom /usr/local/bundle/gems/actionpack-7.1.${int(r, 4)}/lib/action_controller/metal/basic_implicit_render.rb:6:in 'send_action'`,
      ];
    }
    case 'php': {
      const type = PHP_TYPES[i % PHP_TYPES.length]!;
      return [
        `PHP Fatal error:  Uncaught ${type}: Card ${id} declined in /var/www/src/Billing/Charge${i}.php:${20 + (i % 40)}`,
        'Stack trace:',
        `#0 /var/www/src/Billing/Api.php(${40 + (i % 9)}): Acme\\Billing\\Charge${i}->run${i % 5}(Object(Acme\\Card), ${id})`,
        `#1 /var/www/vendor/slim/slim/Slim/Handlers/Strategies/RequestResponse.php(${38 + int(r, 3)}): Acme\\Billing\\Api->post(Object(Slim\\Http\\Request))`,
        '#2 {main}',
        `  thrown in /var/www/src/Billing/Charge${i}.php on line ${20 + (i % 40)}`,
      ];
    }
    default:
      throw new Error(family);
  }
}

export const PLANTED_FAMILIES = ['java', 'dotnet', 'python', 'node', 'go', 'rust', 'ruby', 'php'];

/** Ordinary lines of the crash log: no ERROR lines of their own (every ERROR line announces a crash). */
const CRASH_LOG_VOCABULARY: Vocabulary = {
  levels: ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN'],
  words: [...VOCABULARY.words, 'sent', 'received', 'tenant', 'shard'],
};

/**
 * Writes a log of about `bytes` with `distinct` planted crashes (counts falling off like real crash
 * frequencies: a few very common, many rare) and corpus traces of every family as background.
 */
export function writeCrashLog(
  file: string,
  bytes: number,
  distinct: number,
  background: { file: string; text: string }[],
  seed = 7,
): Manifest {
  const r = rng(seed);
  // Zipf-like weights; every planted crash appears at least once (see `seeded`).
  const weights = Array.from({ length: distinct }, (_, i) => 1 / (1 + i) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w / total), 0);
  const planted: Planted[] = Array.from({ length: distinct }, (_, i) => ({
    id: i,
    family: PLANTED_FAMILIES[i % PLANTED_FAMILIES.length]!,
    lines: [],
  }));
  const bg = background.map((b) => ({
    file: b.file,
    lines: b.text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n'),
    count: 0,
  }));
  const out = new LineWriter(file);
  let t = 0;
  // About 1 line in 150 starts a trace: around 1.5% of the lines are trace lines, as in a busy service log.
  const rate = 1 / 150;
  const seeded = new Set<number>();
  while (out.bytes < bytes) {
    t += int(r, 40);
    const ts = timestamp(t);
    out.push(logLine(r, t, CRASH_LOG_VOCABULARY));
    if (r() >= rate) continue;
    const x = r();
    if (x < 0.1 && bg.length > 0) {
      const b = pick(r, bg);
      b.count++;
      for (const l of b.lines) out.push(l);
      out.push(`${ts} INFO  [worker-${int(r, 32)}] main - recovered`);
      continue;
    }
    // The first occurrences go round every crash once, so that each is planted at least once.
    let i: number;
    if (seeded.size < distinct) {
      i = seeded.size;
      seeded.add(i);
    } else {
      const y = r();
      i = cumulative.findIndex((c) => c >= y);
      if (i < 0) i = distinct - 1;
    }
    const p = planted[i]!;
    const occ = occurrence(p.family, i, r);
    out.push(`${ts} ERROR [worker-${int(r, 32)}] c.a.orders.OrderService - request failed`);
    p.lines.push(out.lines + 1);
    for (const l of occ) out.push(l);
  }
  out.close();
  return {
    bytes: out.bytes,
    lines: out.lines,
    planted,
    background: bg.filter((b) => b.count > 0).map((b) => ({ file: b.file, count: b.count })),
  };
}
