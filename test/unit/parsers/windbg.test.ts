// WinDbg / cdb / kd and minidump_stackwalk variants the corpus does not cover (each `k` layout, `~*k`,
// `!analyze -v` of user-mode exceptions and kernel bugchecks, breakpad and rust-minidump human output,
// multi-thread machine output) and the document-level cases: mixed logs, CRLF, cut input, re-indented
// pastes, lines of other formats that must stay theirs.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';
import { lines } from './helpers';

function only(traces: Trace[], format: Trace['format']): Trace[] {
  return traces.filter((t) => t.format === format);
}

function pick(f: Frame | undefined): Partial<Frame> {
  assert.ok(f, 'frame exists');
  const out: Partial<Frame> = {};
  for (const k of ['function', 'file', 'line', 'module', 'address', 'offset', 'args', 'notes'] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

const fns = (t: Trace | undefined): (string | null)[] => (t?.frames ?? []).map((f) => f.function);

describe('windbg parser', () => {
  it('k on x86 without frame numbers; kn with them; module+offset and bare addresses', () => {
    const [k] = parseText(
      lines(
        '0:000> k',
        'ChildEBP RetAddr  ',
        '0012f784 7c90e9c0 ntdll!KiFastSystemCallRet',
        '0012f788 7c8025cb ntdll!ZwWaitForSingleObject+0xc',
        '0012f7ec 0040107c kernel32!WaitForSingleObjectEx+0xa8 [d:\\src\\base\\wait.c @ 123]',
        '0012ff80 00401234 myapp+0x107c',
        '0012ffc0 00000000 0x1f6a167c',
      ),
    );
    assert.deepEqual([k!.format, k!.kind, k!.span.start, k!.span.end], ['windbg', 'crash', 1, 7]);
    assert.equal(k!.title, 'ntdll!KiFastSystemCallRet');
    assert.deepEqual(pick(k!.frames[0]), { function: 'KiFastSystemCallRet', module: 'ntdll' });
    assert.deepEqual(pick(k!.frames[2]), {
      function: 'WaitForSingleObjectEx',
      module: 'kernel32',
      offset: '+0xa8',
      file: 'd:\\src\\base\\wait.c',
      line: 123,
    });
    assert.deepEqual(pick(k!.frames[3]), { module: 'myapp', offset: '+0x107c' });
    assert.deepEqual(pick(k!.frames[4]), { address: '0x1f6a167c' });

    const [kn] = parseText(
      lines(
        ' # ChildEBP RetAddr',
        '00 0034e7f8 766319fc ntdll!NtWaitForMultipleObjects+0x15',
        '01 0034e840 766341d8 kernel32!WaitForMultipleObjectsEx+0x8e',
      ),
    );
    assert.deepEqual(fns(kn), ['NtWaitForMultipleObjects', 'WaitForMultipleObjectsEx']);
    assert.deepEqual([kn!.span.start, kn!.span.end], [1, 3]);
  });

  it('kb / kv (Args to Child, FPO), x64 `: args :` columns with and without Child-SP, inline frames', () => {
    const traces = parseText(
      lines(
        '0:000> kv',
        'ChildEBP RetAddr  Args to Child              ',
        '0012f784 7c90e9c0 7c8025cb 00000134 00000000 ntdll!KiFastSystemCallRet (FPO: [0,0,0])',
        '0012f7ec 0040107c 00000134 ffffffff 00000000 kernel32!WaitForSingleObjectEx+0xa8 (FPO: [Non-Fpo]) (CONV: stdcall) [d:\\src\\wait.c @ 12]',
        '0:000> .frame 0',
        '0:000> ~0s; kb',
        ' # Child-SP          RetAddr               : Args to Child                                                           : Call Site',
        '00 00000016`f1f7b508 00007ffa`3672ecd1     : 00000000`00000000 00000212`a36edc80 00000016`f1f7bbc0 00007ffa`367dff00 : KERNELBASE!wil::details::DebugBreak+0x2',
        '01 (Inline Function) --------`--------     : --------`-------- --------`-------- --------`-------- --------`-------- : DbgX!Shell::Run+0x10 [C:\\src\\shell.cpp @ 77]',
        '02 00000016`f1f7b510 00007ffa`366f44c4     : 0000020a`c6b127d8 00000000`00000000 00000000`00000000 00000000`00000000 : DbgX!Shell::Main+0x44',
        '0:000> kb',
        'RetAddr           : Args to Child                                                           : Call Site',
        '00007ffa`5c1d7034 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : app!main+0x22',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.kind, t.span.start, t.span.end, fns(t)]),
      [
        ['crash', 1, 4, ['KiFastSystemCallRet', 'WaitForSingleObjectEx']],
        ['thread', 6, 10, ['wil::details::DebugBreak', 'Shell::Run', 'Shell::Main']],
        ['thread', 11, 13, ['main']],
      ],
    );
    assert.deepEqual(pick(traces[0]!.frames[0]), {
      function: 'KiFastSystemCallRet',
      module: 'ntdll',
      notes: ['FPO: [0,0,0]'],
    });
    assert.deepEqual(pick(traces[0]!.frames[1]), {
      function: 'WaitForSingleObjectEx',
      module: 'kernel32',
      offset: '+0xa8',
      file: 'd:\\src\\wait.c',
      line: 12,
      notes: ['FPO: [Non-Fpo]', 'CONV: stdcall'],
    });
    assert.deepEqual(pick(traces[1]!.frames[1]), {
      function: 'Shell::Run',
      module: 'DbgX',
      offset: '+0x10',
      file: 'C:\\src\\shell.cpp',
      line: 77,
      notes: ['inlined'],
    });
    assert.deepEqual(traces[1]!.thread?.attrs, { '#': '000' });
  });

  it('kp arguments on the frame line; kP arguments on lines of their own; kc call sites only', () => {
    const traces = parseText(
      lines(
        '0:000> kp',
        'ChildEBP RetAddr  ',
        '0012fd70 77d4dbde USER32!NtUserGetMessage(void)+0xc',
        '0012fd94 0040120f USER32!GetMessageW(struct tagMSG * lpMsg = 0x0012fe04, struct HWND__ * hWnd = 0x00000000)+0x2b [d:\\srv03rtm\\windows\\core\\cltxt.h @ 1266]',
        '0012ffc0 77e6f23b myapp!Widget::operator()(int x = 0n5)+0x54',
        '0:000> kP',
        ' # Child-SP          RetAddr           Call Site',
        '00 00000000`001ff6c8 000007fe`fd2d10dc ntdll!NtWaitForSingleObject+0xa',
        '01 00000000`001ff770 00000001`3f5a1400 test!main(',
        '\t\t\tint argc = 0n1, ',
        '\t\t\tchar ** argv = 0x00000000`00396b20)+0x54 [c:\\test\\test.cpp @ 15]',
        '02 00000000`001ff7a0 00000000`00000000 test!__tmainCRTStartup+0x11a',
        '0:000> kcn',
        ' # Call Site',
        '00 ntdll!NtWaitForSingleObject',
        '01 KERNELBASE!WaitForSingleObjectEx',
        '02 test!main',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.kind, t.span.start, t.span.end, t.frames.length]),
      [
        ['crash', 1, 5, 3],
        ['thread', 6, 12, 3],
        ['thread', 13, 17, 3],
      ],
    );
    assert.deepEqual(pick(traces[0]!.frames[0]), {
      function: 'NtUserGetMessage',
      module: 'USER32',
      offset: '+0xc',
      args: 'void',
    });
    assert.deepEqual(pick(traces[0]!.frames[1]), {
      function: 'GetMessageW',
      module: 'USER32',
      offset: '+0x2b',
      args: 'struct tagMSG * lpMsg = 0x0012fe04, struct HWND__ * hWnd = 0x00000000',
      file: 'd:\\srv03rtm\\windows\\core\\cltxt.h',
      line: 1266,
    });
    assert.deepEqual(pick(traces[0]!.frames[2]), {
      function: 'Widget::operator()',
      module: 'myapp',
      offset: '+0x54',
      args: 'int x = 0n5',
    });
    const kP = traces[1]!.frames[1]!;
    assert.deepEqual(pick(kP), {
      function: 'main',
      module: 'test',
      offset: '+0x54',
      args: 'int argc = 0n1, char ** argv = 0x00000000`00396b20',
      file: 'c:\\test\\test.cpp',
      line: 15,
    });
    assert.equal(kP.docLine, 9);
    assert.deepEqual(fns(traces[2]), ['NtWaitForSingleObject', 'WaitForSingleObjectEx', 'main']);
  });

  it('~*k: one trace per thread; the `#` thread (the one that raised the exception) is the crash', () => {
    const traces = parseText(
      lines(
        '0:000> ~*k',
        '',
        '.  0  Id: 1a2c.1a30 Suspend: 1 Teb: 000000e3`8f2ad000 Unfrozen',
        ' # Child-SP          RetAddr           Call Site',
        '00 000000e3`8f4ff6c8 00007ffa`5b2c8e8e ntdll!NtWaitForSingleObject+0x14',
        '01 000000e3`8f4ff6d0 00007ff6`8a2b1a3c KERNELBASE!WaitForSingleObjectEx+0x8e',
        '',
        '#  1  Id: 1a2c.1a34 Suspend: 1 Teb: 000000e3`8f2af000 Unfrozen "Worker"',
        ' # Child-SP          RetAddr           Call Site',
        '00 000000e3`8f5ff8a8 00007ff6`8a2b1111 myapp!Worker::Run+0x21 [c:\\src\\worker.cpp @ 77]',
        '01 000000e3`8f5ff8b0 00007ffa`5c1d7034 myapp!std::_Func_impl_no_alloc<<lambda_1>,void>::_Do_call+0x1a',
        '02 000000e3`8f5ff8e0 00000000`00000000 ucrtbase!thread_start<unsigned int (__cdecl*)(void *),1>+0x42',
        '',
        '   2  Id: 1a2c.1a38 Suspend: 1 Teb: 000000e3`8f2b1000 Unfrozen',
        ' # Child-SP          RetAddr           Call Site',
        '00 000000e3`8f6ff6c8 00007ffa`5b2c8e8e ntdll!NtWaitForSingleObject+0x14',
        '01 000000e3`8f6ff6d0 00007ff6`8a2b1a3c KERNELBASE!WaitForSingleObjectEx+0x8e',
      ),
    );
    // Thread 2 waits where thread 0 waits: the same call sites, still another thread.
    assert.deepEqual(
      traces.map((t) => [t.kind, t.span.start, t.span.end, t.frames.length, t.thread?.name, t.thread?.id]),
      [
        ['thread', 3, 6, 2, null, '1a30'],
        ['crash', 8, 12, 3, 'Worker', '1a34'],
        ['thread', 14, 17, 2, null, '1a38'],
      ],
    );
    assert.equal(traces[1]!.title, '#  1  Id: 1a2c.1a34 Suspend: 1 Teb: 000000e3`8f2af000 Unfrozen "Worker"');
    assert.deepEqual(traces[1]!.thread?.attrs, {
      '#': '1',
      pid: '1a2c',
      Suspend: '1',
      Teb: '000000e3`8f2af000',
      state: 'Unfrozen',
    });
    assert.equal(traces[1]!.frames[1]!.function, 'std::_Func_impl_no_alloc<<lambda_1>,void>::_Do_call');
    assert.equal(traces[1]!.frames[2]!.function, 'thread_start<unsigned int (__cdecl*)(void *),1>');
  });

  it('!analyze -v (user mode): exception code as the type, FAULTING_SOURCE_* on the faulting frame, one stack', () => {
    const traces = parseText(
      lines(
        '0:000> !analyze -v',
        '*******************************************************************************',
        '*                                                                             *',
        '*                        Exception Analysis                                   *',
        '*                                                                             *',
        '*******************************************************************************',
        '',
        'KEY_VALUES_STRING: 1',
        '',
        '    Key  : AV.Type',
        '    Value: Read',
        '',
        'CONTEXT:  (.ecxr)',
        'rax=0000000000000000 rbx=0000000000000000 rcx=00000000deadbeef',
        'crashme!Widget::Paint+0x14:',
        '00007ff6`a1b21014 8b01            mov     eax,dword ptr [rcx] ds:00000000`deadbeef=????????',
        'Resetting default scope',
        '',
        'EXCEPTION_RECORD:  (.exr -1)',
        'ExceptionAddress: 00007ff6a1b21014 (crashme!Widget::Paint+0x0000000000000014)',
        '   ExceptionCode: c0000005 (Access violation)',
        '  ExceptionFlags: 00000000',
        'NumberParameters: 2',
        '   Parameter[0]: 0000000000000000',
        '   Parameter[1]: 00000000deadbeef',
        'Attempt to read from address 00000000deadbeef',
        '',
        'PROCESS_NAME:  crashme.exe',
        '',
        'ERROR_CODE: (NTSTATUS) 0xc0000005 - The instruction at 0x%p referenced memory at 0x%p.',
        '',
        'EXCEPTION_CODE_STR:  c0000005',
        '',
        'STACK_TEXT:  ',
        '000000c1`a4cff7c0 00007ff6`a1b21082     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : crashme!Widget::Paint+0x14',
        '000000c1`a4cff7f0 00007ff6`a1b212f4     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : crashme!main+0x22',
        '000000c1`a4cff860 00000000`00000000     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : kernel32!BaseThreadInitThunk+0x14',
        '',
        '',
        'FAULTING_SOURCE_LINE:  C:\\src\\crashme\\widget.cpp',
        '',
        'FAULTING_SOURCE_FILE:  C:\\src\\crashme\\widget.cpp',
        '',
        'FAULTING_SOURCE_LINE_NUMBER:  27',
        '',
        'FAULTING_SOURCE_CODE:  ',
        '    26:   Brush* b = brush_;',
        '>   27:   b->Apply(canvas_);',
        '',
        'SYMBOL_NAME:  crashme!Widget::Paint+14',
        '',
        'FAILURE_BUCKET_ID:  NULL_CLASS_PTR_READ_c0000005_crashme.exe!Widget::Paint',
        '',
        'Followup:     MachineOwner',
        '---------',
        '',
        '0:000> k',
        ' # Child-SP          RetAddr               Call Site',
        '00 000000c1`a4cff7c0 00007ff6`a1b21082     crashme!Widget::Paint+0x14 [C:\\src\\crashme\\widget.cpp @ 27]',
        '01 000000c1`a4cff7f0 00007ff6`a1b212f4     crashme!main+0x22 [C:\\src\\crashme\\main.cpp @ 9]',
        '02 000000c1`a4cff860 00000000`00000000     kernel32!BaseThreadInitThunk+0x14',
        '0:000> q',
      ),
    );
    // `k` after the report prints STACK_TEXT's stack again: one trace, whose span takes in the repeat.
    assert.equal(traces.length, 1);
    const t = traces[0]!;
    assert.deepEqual([t.format, t.kind, t.span.start, t.span.end], ['windbg', 'crash', 1, 61]);
    assert.equal(t.title, 'c0000005: Access violation');
    assert.equal(t.type, 'c0000005');
    assert.equal(t.message, 'Access violation\nAttempt to read from address 00000000deadbeef');
    assert.deepEqual(
      t.frames.map((f) => [f.function, f.file, f.line, f.docLine]),
      [
        ['Widget::Paint', 'C:\\src\\crashme\\widget.cpp', 27, 35],
        // The repeat adds the source line STACK_TEXT did not print.
        ['main', 'C:\\src\\crashme\\main.cpp', 9, 36],
        ['BaseThreadInitThunk', null, null, 37],
      ],
    );
    assert.deepEqual(t.frames[0]!.notes, ['source from FAULTING_SOURCE_FILE']);
    const attrs = t.thread?.attrs ?? {};
    assert.equal(attrs['FAILURE_BUCKET_ID'], 'NULL_CLASS_PTR_READ_c0000005_crashme.exe!Widget::Paint');
    assert.equal(attrs['SYMBOL_NAME'], 'crashme!Widget::Paint+14');
    assert.equal(attrs['PROCESS_NAME'], 'crashme.exe');
    assert.equal(attrs['EXCEPTION_CODE_STR'], 'c0000005');
  });

  it('!analyze -v of a kernel bugcheck: its name line titles it, TrapFrame notes', () => {
    const [t] = parseText(
      lines(
        '1: kd> !analyze -v',
        '*******************************************************************************',
        '*                        Bugcheck Analysis                                    *',
        '*******************************************************************************',
        '',
        'IRQL_NOT_LESS_OR_EQUAL (a)',
        'An attempt was made to access a pageable (or completely invalid) address at an',
        'interrupt request level (IRQL) that is too high.',
        'Arguments:',
        'Arg1: 0000000000000000, memory referenced',
        'Arg2: 0000000000000002, IRQL',
        '',
        'Debugging Details:',
        '------------------',
        '',
        'BUGCHECK_CODE:  a',
        '',
        'STACK_TEXT:  ',
        'ffffd001`e2f3e758 fffff803`1a7e2129 : 00000000`0000000a 00000000`00000000 00000000`00000002 00000000`00000000 : nt!KeBugCheckEx',
        'ffffd001`e2f3e8a0 fffff803`12345678 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x260 (TrapFrame @ ffffd001`e2f3e8a0)',
        'ffffd001`e2f3ea30 fffff803`1a600000 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : mydriver!Foo+0x1a',
        '',
        'BUGCHECK_STR:  AV_mydriver!Foo',
        '',
        'FAILURE_BUCKET_ID:  AV_mydriver!Foo',
        '',
        'Followup:     MachineOwner',
        '---------',
      ),
    );
    assert.deepEqual([t!.kind, t!.span.start, t!.span.end], ['crash', 1, 28]);
    assert.equal(t!.title, 'IRQL_NOT_LESS_OR_EQUAL (a)');
    assert.equal(t!.type, 'IRQL_NOT_LESS_OR_EQUAL');
    assert.equal(
      t!.message,
      'An attempt was made to access a pageable (or completely invalid) address at an interrupt request level (IRQL) that is too high.',
    );
    assert.deepEqual(fns(t), ['KeBugCheckEx', 'KiPageFault', 'Foo']);
    assert.deepEqual(t!.frames[1]!.notes, ['TrapFrame @ ffffd001`e2f3e8a0']);
    assert.equal(t!.thread?.attrs?.['BUGCHECK_CODE'], 'a');
  });

  it('older reports: BUGCHECK_STR, or EXCEPTION_CODE_STR with ERROR_CODE, when there is no exception record', () => {
    const [old] = parseText(
      lines(
        'FAULTING_IP: ',
        'app!Foo+12',
        '00401012 8b01            mov     eax,dword ptr [ecx]',
        '',
        'BUGCHECK_STR:  ACCESS_VIOLATION',
        '',
        'STACK_TEXT:  ',
        '0012ff40 00401234 00000000 00000000 00000000 app!Foo+0x12',
      ),
    );
    assert.deepEqual(
      [old!.type, old!.title, old!.span.start, old!.span.end],
      ['ACCESS_VIOLATION', 'ACCESS_VIOLATION', 1, 8],
    );
    const [str] = parseText(
      lines(
        'ERROR_CODE: (NTSTATUS) 0xc0000409 - The system detected an overrun of a stack-based buffer.',
        '',
        'EXCEPTION_CODE_STR:  c0000409',
        '',
        'STACK_TEXT:  ',
        '0012ff40 00401234 00000000 00000000 00000000 app!__report_gsfailure+0x1d',
      ),
    );
    assert.equal(str!.title, 'c0000409: The system detected an overrun of a stack-based buffer.');
  });

  it('a stack in a mixed log between ordinary lines and a Java trace', () => {
    const traces = parseText(
      lines(
        '2024-03-01 12:00:00 INFO collecting dump',
        '2024-03-01 12:00:01 INFO cdb output follows:',
        '00 00000000`0014f8d8 00007ffb`7c4d1a8e ntdll!NtWaitForSingleObject+0x14',
        '01 00000000`0014f8e0 00007ff6`8a2b1a3c KERNELBASE!WaitForSingleObjectEx+0x8e',
        '02 00000000`0014f980 00000000`00000000 app!main+0x3c [C:\\src\\app\\main.cpp @ 10]',
        '2024-03-01 12:00:02 ERROR request failed',
        'java.lang.IllegalStateException: boom',
        '\tat com.acme.Foo.bar(Foo.java:12)',
        '\tat com.acme.Main.main(Main.java:5)',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.kind, t.span.start, t.span.end, t.frames.length]),
      [
        ['windbg', 'crash', 3, 5, 3],
        ['java', 'exception', 7, 9, 2],
      ],
    );
  });

  it('CRLF input parses like LF input', () => {
    const text = [
      '0:000> kn',
      ' # ChildEBP RetAddr',
      '00 0034e7f8 766319fc ntdll!NtWaitForMultipleObjects+0x15',
      '01 0034e840 766341d8 kernel32!WaitForMultipleObjectsEx+0x8e [d:\\src\\w.c @ 3]',
    ];
    assert.deepEqual(parseText(text.join('\r\n')), parseText(text.join('\n')));
  });

  it('input cut mid-frame: a frame cut in its call site keeps what is there, one cut in its columns is dropped', () => {
    const [t] = parseText(
      lines(
        ' # Child-SP          RetAddr           Call Site',
        '00 00000000`0014f8d8 00007ffb`7c4d1a8e ntdll!NtWaitForSingleObject+0x14',
        '01 00000000`0014f8e0 00007ff6`8a2b1a3c KERNELBASE!WaitForSingleObjectEx+0x8e [d:\\src\\sy',
      ),
    );
    assert.equal(t!.frames.length, 2);
    // A prefix of a path is not a path: the call site is kept, the cut source bracket is not.
    assert.deepEqual(pick(t!.frames[1]), {
      module: 'KERNELBASE',
      function: 'WaitForSingleObjectEx',
      offset: '+0x8e',
      notes: ['truncated'],
    });
    const [cols] = parseText(
      lines(
        ' # Child-SP          RetAddr           Call Site',
        '00 00000000`0014f8d8 00007ffb`7c4d1a8e ntdll!NtWaitForSingleObject+0x14',
        '01 00000000`0014f8e0 00007ff6`8a2',
      ),
    );
    assert.deepEqual([cols!.frames.length, cols!.span.end], [1, 2]);
    const [kP] = parseText(lines(' # Call Site', '00 test!main(', '\t\t\tint argc = 0n1, '));
    assert.deepEqual(pick(kP!.frames[0]), { notes: ['truncated'] });
  });

  it('re-indented pastes (tabs, quote marks) parse alike', () => {
    const body = [
      'ChildEBP RetAddr  Args to Child',
      '0034e7f8 766319fc 0034e7ac 0034e820 00000000 ntdll!NtWaitForMultipleObjects+0x15',
      '0034e840 766341d8 00000002 fffde000 00000000 kernel32!WaitForMultipleObjectsEx+0x8e',
    ];
    const shape = (ts: Trace[]): unknown => ts.map((t) => [t.format, t.kind, fns(t)]);
    const want = shape(parseText(lines(...body)));
    assert.deepEqual(want, [['windbg', 'crash', ['NtWaitForMultipleObjects', 'WaitForMultipleObjectsEx']]]);
    assert.deepEqual(shape(parseText(lines(...body.map((l) => `\t${l}`)))), want);
    assert.deepEqual(shape(parseText(lines(...body.map((l) => `> ${l}`)))), want);
  });

  it('register dumps, disassembly and symbol lines with `!` are not frames', () => {
    const traces = parseText(
      lines(
        'eax=00000000 ebx=0034e7ac ecx=6a24705d edx=0034d9d4 esi=00000002 edi=00000000',
        'ntdll!NtWaitForMultipleObjects+0x15:',
        '77e9016d 83c404          add     esp,4',
        '00000001`40144e6e ff158c02eb00    call    qword ptr [js!_imp_GetCurrentProcess (00000001`40ff5100)]',
        'ExceptionAddress: 01814577 (js!js::GetBytecodeLength+0x00000047)',
        'Hello world!',
      ),
    );
    assert.deepEqual(traces, []);
  });
});

describe('minidump parser', () => {
  it('rust-minidump human output: named threads with tids, Found by, inlined frames, module offsets', () => {
    const traces = parseText(
      lines(
        'Operating system: Linux',
        '                  0.0.0 Linux 5.13.4-201.fc35.x86_64 #1 SMP x86_64',
        'CPU: amd64',
        '     family 6 model 94 stepping 1',
        '',
        'Crash reason:  SIGSEGV / SEGV_MAPERR',
        'Crash address: 0x0',
        'Process uptime: not available',
        '',
        'Thread 0 GeckoMain (crashed) - tid: 12345',
        ' 0  libxul.so!mozilla::dom::Foo::Bar(int) [Foo.cpp:d03f8755 : 280 + 0x11]',
        '    rax = 0x00007fa5003b9af7   rdx = 0x0000000000000001',
        '    rip = 0x00007f44ff0caed1',
        '    Found by: given as instruction pointer in context',
        ' 1  libxul.so!inlined_helper [Helper.h:d03f8755 : 12]',
        '    Found by: inlining',
        ' 2  libxul.so!mozilla::Runnable::Run() + 0x7',
        '    Found by: call frame info',
        ' 3  libc.so.6 + 0x29d90',
        '    Found by: stack scanning',
        ' 4  0x7f44ff000000',
        '    Found by: stack scanning',
        '',
        'Thread 1 Timer - tid: 12350',
        ' 0  libc.so.6!syscall + 0x1d',
        '     rip = 0x00007f44ff0c0000',
        '    Found by: given as instruction pointer in context',
        '',
        'Loaded modules:',
        '0x00400000 - 0x0042cfff  firefox  ???  (main)',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.kind, t.title, t.span.start, t.span.end, t.thread?.name, t.thread?.id]),
      [
        ['minidump', 'crash', 'SIGSEGV / SEGV_MAPERR', 1, 22, 'GeckoMain', '12345'],
        ['minidump', 'thread', 'Thread 1 Timer - tid: 12350', 24, 27, 'Timer', '12350'],
      ],
    );
    const t = traces[0]!;
    assert.equal(t.type, 'SIGSEGV / SEGV_MAPERR');
    assert.equal(t.thread?.attrs?.['Crash address'], '0x0');
    assert.deepEqual(pick(t.frames[0]), {
      function: 'mozilla::dom::Foo::Bar(int)',
      module: 'libxul.so',
      file: 'Foo.cpp:d03f8755',
      line: 280,
      offset: '+ 0x11',
      notes: ['found by given as instruction pointer in context'],
    });
    assert.deepEqual(pick(t.frames[1]), {
      function: 'inlined_helper',
      module: 'libxul.so',
      file: 'Helper.h:d03f8755',
      line: 12,
      notes: ['inlined'],
    });
    assert.deepEqual(pick(t.frames[2]), {
      function: 'mozilla::Runnable::Run()',
      module: 'libxul.so',
      offset: '+ 0x7',
      notes: ['found by call frame info'],
    });
    assert.deepEqual(pick(t.frames[3]), {
      module: 'libc.so.6',
      offset: '+ 0x29d90',
      notes: ['found by stack scanning'],
    });
    assert.deepEqual(pick(t.frames[4]), { address: '0x7f44ff000000', notes: ['found by stack scanning'] });
  });

  it('breakpad human output: `Thread 0 (crashed)`, `Thread 1`, module names with spaces', () => {
    const traces = parseText(
      lines(
        'Crash reason:  EXCEPTION_ACCESS_VIOLATION_WRITE',
        'Crash address: 0x00000045',
        '',
        'Thread 0 (crashed)',
        ' 0  test_app.exe!CrashFunction() [test_app.cc : 58 + 0x3]',
        '    eip = 0x0040429e    esp = 0x0012fe84    ebp = 0x0012fe88    ebx = 0x7c80abc1',
        '    Found by: given as instruction pointer in context',
        ' 1  Google Chrome Framework + 0x16fd6',
        "    Found by: previous frame's frame pointer",
        '',
        'Thread 1',
        ' 0  ntdll.dll + 0x9d3f4',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.kind, t.title, t.span.start, t.span.end, t.frames.length, t.thread?.id]),
      [
        ['crash', 'EXCEPTION_ACCESS_VIOLATION_WRITE', 1, 9, 2, '0'],
        ['thread', 'Thread 1', 11, 12, 1, '1'],
      ],
    );
    assert.deepEqual(pick(traces[0]!.frames[0]), {
      function: 'CrashFunction()',
      module: 'test_app.exe',
      file: 'test_app.cc',
      line: 58,
      offset: '+ 0x3',
      notes: ['found by given as instruction pointer in context'],
    });
    assert.deepEqual(pick(traces[0]!.frames[1])['module'], 'Google Chrome Framework');
  });

  it('machine form with several threads: the Crash line names the crashed one; empty fields are null', () => {
    const traces = parseText(
      lines(
        'OS|Linux|0.0.0 Linux 5.15.0 #1 SMP x86_64',
        'CPU|amd64|family 6 model 158 stepping 10|8',
        'Crash|SIGSEGV|0x0|1',
        'Module|libxul.so||libxul.so|ABCDEF0123456789|0x7f0000000000|0x7f0009999999|1',
        '0|0|libc.so.6|__futex_abstimed_wait_common|||0x8a5e4',
        '0|1|libxul.so|mozilla::Monitor::Wait()|hg:hg.mozilla.org/mozilla-central:xpcom/threads/Monitor.h:abc|82|0x4',
        '1|0|libxul.so|mozilla::dom::Foo::Bar()|hg:hg.mozilla.org/mozilla-central:dom/Foo.cpp:abc|280|0x11',
        '1|1|||||0x7f44ff000000',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.kind, t.title, t.span.start, t.span.end, t.frames.length, t.thread?.id]),
      [
        ['thread', 'Thread 0', 5, 6, 2, '0'],
        ['crash', 'SIGSEGV', 7, 8, 2, '1'],
      ],
    );
    assert.deepEqual(pick(traces[0]!.frames[0]), {
      function: '__futex_abstimed_wait_common',
      module: 'libc.so.6',
      offset: '0x8a5e4',
    });
    assert.deepEqual(pick(traces[1]!.frames[1]), { offset: '0x7f44ff000000' });
    assert.equal(traces[1]!.thread?.attrs?.['Crash address'], '0x0');
  });

  it('does not take gdb or Apple thread headers; CRLF parses like LF; a cut frame keeps its function', () => {
    const gdb = parseText(
      lines(
        'Thread 2 (Thread 0x7ffff7d8a640 (LWP 1235) "io-worker"):',
        '#0  0x00007ffff7e9e7ed in __GI___poll (fds=0x7ffff0000b60, nfds=1, timeout=-1) at ../sysdeps/unix/sysv/linux/poll.c:29',
        'Thread 0 Crashed:: Dispatch queue: com.apple.main-thread',
      ),
    );
    assert.deepEqual(only(gdb, 'minidump'), []);
    const text = ['Thread 0 (crashed)', ' 0  a.out!main [a.c : 3 + 0x4]', ' 1  libc.so.6 + 0x29d90'];
    assert.deepEqual(parseText(text.join('\r\n')), parseText(text.join('\n')));
    const [cut] = parseText(
      lines('Thread 0 (crashed)', ' 0  a.out!main [a.c : 3 + 0x4]', ' 1  a.out!start [a.c : 1'),
    );
    assert.deepEqual(
      cut!.frames.map((f) => [f.function, f.module, f.file, f.line, f.notes]),
      [
        ['main', 'a.out', 'a.c', 3, undefined],
        ['start', 'a.out', null, null, ['truncated']],
      ],
    );
  });
});
