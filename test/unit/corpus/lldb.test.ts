// lldb backtraces from the corpus, as a reader lists their frames. Frames cut mid-name at the end of a
// PARTIAL copy are kept with what is there (lldb frames carry no sign of being incomplete).

import { expectTraces } from './harness';

const STR = 'std::__1::basic_string<char, std::__1::char_traits<char>, std::__1::allocator<char> >';
const BIND = `std::__1::__bind<void (*)(${STR}, llarp_main_runtime_opts), ${STR}&, llarp_main_runtime_opts&>`;
const PROXY =
  'void* std::__1::__thread_proxy<std::__1::tuple<std::__1::unique_ptr<std::__1::__thread_struct, ' +
  `std::__1::default_delete<std::__1::__thread_struct> >, ${BIND} > >(void*)`;
/** The inlined function of frame #11, with lldb's own garbled `decltype(__f=…)` return type. */
const INVOKE =
  `decltype(__f=0x0000000101d2a1e8)(${STR}, llarp_main_runtime_opts), ${STR}&, llarp_main_runtime_opts&> >` +
  `(fp)(std::__1::forward<>(fp0))) std::__1::__invoke<${BIND} >(${BIND}&&)`;
const GET_EVENT =
  'lldb_private::Listener::GetEvent(std::shared_ptr<lldb_private::Event>&, ' +
  'lldb_private::Timeout<std::ratio<1l, 1000000l> > const&)';

describe('corpus: lldb', () => {
  it('02 solvespace: old `thread #1: tid = …` layout, stop report and `thread backtrace all` merged', () => {
    expectTraces('lldb/02-solvespace-old-lldb-tid-format-PARTIAL.txt', [
      {
        format: 'lldb',
        kind: 'crash',
        title: 'EXC_BAD_ACCESS (code=1, address=0x2000000020)',
        type: 'EXC_BAD_ACCESS',
        message: 'code=1, address=0x2000000020',
        thread: { id: '1', name: null },
        span: [11, 17],
        frames: 2,
        // A jump to a bad address: the frame is an address and nothing else.
        first: [null, null, null],
        // Cut after `SolveSpace::TextWindow`: kept with what is there.
        last: ['SolveSpace::TextWindow', null, null],
        at: {
          0: { address: '0x0000002000000020', module: null, docLine: 16 },
          1: { module: 'solvespace', address: '0x000000010003e239', offset: null, docLine: 17 },
        },
      },
    ]);
  });

  it('03 lokinet: a 1.5 KB inlined template frame broken over two lines', () => {
    expectTraces('lldb/03-lokinet-inlined-template-monster-frame-PARTIAL.txt', [
      {
        // Starts at frame #11: no thread line above it.
        format: 'lldb',
        kind: 'thread',
        span: [1, 3],
        frames: 2,
        first: [INVOKE, 'type_traits', 4428],
        last: ['void* std::__1::__threa', null, null],
        at: {
          0: {
            module: 'lokinet',
            address: '0x0000000100096ace',
            column: null,
            docLine: 1,
            notes: ['inlined', `inlined into ${PROXY}`],
          },
          1: { module: 'lokinet', address: '0x0000000100096aab', docLine: 3 },
        },
      },
    ]);
  });

  it('04 batch run: stop report with lambda operator() + offset, disassembly ends the trace', () => {
    expectTraces('lldb/04-lldb-batch-run-stop-disassembly-lambda-operator.txt', [
      {
        format: 'lldb',
        kind: 'crash',
        title: 'EXC_BAD_ACCESS (code=1, address=0x2a)',
        type: 'EXC_BAD_ACCESS',
        message: 'code=1, address=0x2a',
        thread: { id: '2' },
        span: [3, 4],
        frames: 1,
        first: ['main::$_0::operator()() const', null, null],
        at: { 0: { module: 'crash', offset: '+ 28', address: '0x00000001000039e8', args: null } },
      },
    ]);
  });

  it('05 swift: bt all with &#8203; after every #, nested indentation, truncated thread names', () => {
    expectTraces('lldb/05-swift-lldb-bt-all-zero-width-space-entities-PARTIAL.txt', [
      {
        // The chunk starts in the middle of a thread, below its header.
        format: 'lldb',
        kind: 'thread',
        span: [1, 6],
        frames: 6,
        first: [GET_EVENT, null, null],
        last: ['__clone', null, null],
        at: {
          0: { module: 'liblldb.so.10git', offset: '+ 23', address: '0x00007fbcd09c0747' },
          4: { function: 'start_thread', module: 'libpthread.so.0', offset: '+ 217' },
          5: { module: 'libc.so.6', offset: '+ 67' },
        },
      },
      {
        format: 'lldb',
        kind: 'thread',
        title: "thread #3, name = 'ait4(pid=1832)>'",
        thread: { id: '3', name: 'ait4(pid=1832)>' },
        span: [7, 12],
        frames: 5,
        first: ['wait4', null, null],
        last: ['__clone', null, null],
        at: { 1: { function: 'MonitorChildProcessThreadFunction(void*)', module: 'liblldb.so.10git' } },
      },
      {
        format: 'lldb',
        kind: 'thread',
        thread: { id: '4', name: 'b-remote.async>' },
        span: [13, 14],
        frames: 1,
        // `libpthread.so.0`pthrea` is cut mid-name.
        first: ['pthrea', null, null],
        at: { 0: { module: 'libpthread.so.0', address: '0x00007fbcd9585376' } },
      },
    ]);
  });
});
