// Builds the sample product repository `.sample/orders` that `npm run sample` resolves the sample trace against:
// the source as the customer has it (tag v5.5.1), then the team's later work — lines added above the frames and
// the NullPointerException fixed — so the output shows a line carried to the working tree and the fixing commit.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIR = path.join(ROOT, '.sample', 'orders');

/** A Java file whose lines `at` (1-based) hold the given statements; the rest is filler that reads like code. */
function java(pkg, imports, decl, at, length) {
  const lines = [`package ${pkg};`, '', ...imports.map((i) => `import ${i};`), '', ...decl.split('\n')];
  while (lines.length < length - 2) {
    const n = lines.length + 1;
    lines.push(at[n] ?? (n % 9 === 0 ? '' : `        // step ${n}: keep the order's audit trail consistent`));
  }
  lines.push('    }', '}');
  return lines.join('\n') + '\n';
}

const FILES = {
  'orders-core/src/main/java/com/acme/orders/OrderService.java': java(
    'com.acme.orders',
    ['com.acme.inventory.StockService', 'java.util.List'],
    'public class OrderService {\n    private final StockService stock;\n\n    public Order place(Order order) {',
    {
      203: '        order.lines().forEach(line ->',
      205: '            stock.reserve(line.sku(), line.quantity()));',
      212: '            throw new OrderPlacementException("could not place order " + order.id(), e);',
    },
    260,
  ),
  'orders-web/src/main/java/com/acme/orders/OrderController.java': java(
    'com.acme.orders',
    ['org.springframework.web.bind.annotation.PostMapping'],
    'public class OrderController {\n    @PostMapping("/orders")\n    public Order create(OrderRequest request) {',
    { 88: '        return service.place(request.toOrder());' },
    120,
  ),
  'inventory/src/main/java/com/acme/inventory/StockService.java': java(
    'com.acme.inventory',
    ['java.util.Map'],
    'public class StockService {\n    private Map<String, Stock> stocks;\n\n    public void reserve(String sku, int quantity) {',
    { 46: '        Stock stock = stocks.get(sku);', 47: '        stock.reserve(quantity);' },
    80,
  ),
};

const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Sam Sample',
  GIT_AUTHOR_EMAIL: 'sam@example.com',
  GIT_COMMITTER_NAME: 'Sam Sample',
  GIT_COMMITTER_EMAIL: 'sam@example.com',
};
let tick = 0;
function git(...args) {
  const date = `2026-10-0${1 + Math.min(tick++, 8)}T10:00:00Z`;
  return execFileSync('git', args, {
    cwd: DIR,
    env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}
function write(rel, text) {
  fs.mkdirSync(path.dirname(path.join(DIR, rel)), { recursive: true });
  fs.writeFileSync(path.join(DIR, rel), text);
}
function edit(rel, f) {
  const lines = fs.readFileSync(path.join(DIR, rel), 'utf8').split('\n');
  f(lines);
  write(rel, lines.join('\n'));
}

fs.rmSync(DIR, { recursive: true, force: true });
fs.mkdirSync(DIR, { recursive: true });
git('init', '-q', '-b', 'main');
for (const [rel, text] of Object.entries(FILES)) write(rel, text);
git('add', '-A');
git('commit', '-q', '-m', 'Orders 5.5.1');
git('tag', '-a', 'v5.5.1', '-m', 'Release 5.5.1');
edit('orders-core/src/main/java/com/acme/orders/OrderService.java', (l) =>
  l.splice(12, 0, '    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);', ''),
);
git('commit', '-q', '-am', 'Log order placement');
edit('inventory/src/main/java/com/acme/inventory/StockService.java', (l) => {
  l[46] =
    '        (stock != null ? stock : Stock.missing(sku)).reserve(quantity); // throws UnknownSkuException';
});
git(
  'commit',
  '-q',
  '-am',
  'ORD-4711: fail with UnknownSkuException instead of an NPE when a SKU has no stock',
);
console.log(`sample repository: ${path.relative(ROOT, DIR)} (tag v5.5.1, then two later commits)`);
