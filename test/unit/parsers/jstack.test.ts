// The thread-dump parser on inline dumps: HotSpot from JDK 6 to 21 (jstack, jcmd Thread.print, kill -3),
// jstack -F, ThreadInfo.toString, VisualVM, Android ART, kotlinx.coroutines' dumps, deadlock reports —
// and dumps inside logs next to Java exceptions, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import {
  jstackParser,
  parseArtNativeFrame,
  parseLockLine,
  parseThreadHeader,
} from '../../../src/core/trace/parsers/jstack';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, triple } from './helpers';

function parse(text: string, count: number): Trace[] {
  const traces = parseText(text);
  assert.equal(traces.length, count, `traces: ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')}`);
  for (const t of traces) {
    for (const node of [t, ...(t.related ?? [])]) {
      for (const f of node.frames) {
        assert.ok(f.docLine >= node.span.start && f.docLine <= node.span.end, `${f.raw} inside the span`);
      }
      assert.ok(node.span.start >= t.span.start && node.span.end <= t.span.end, 'related inside the trace');
    }
  }
  return traces;
}

const JDK8 = lines(
  '2016-09-01 12:00:00',
  'Full thread dump Java HotSpot(TM) 64-Bit Server VM (25.101-b13 mixed mode):',
  '',
  '"http-nio-8080-exec-7" #31 daemon prio=5 os_prio=0 tid=0x00007f4e1c01d000 nid=0x6a1b waiting for monitor entry [0x00007f4dd9cf7000]',
  '   java.lang.Thread.State: BLOCKED (on object monitor)',
  '\tat com.acme.cache.LocalCache.get(LocalCache.java:88)',
  '\t- waiting to lock <0x00000000c3a1b2c8> (a java.util.LinkedHashMap)',
  '\tat com.acme.web.OrderController.show(OrderController.java:41)',
  '\tat java.lang.Thread.run(Thread.java:745)',
  '',
  '   Locked ownable synchronizers:',
  '\t- <0x00000000c31f4a10> (a java.util.concurrent.ThreadPoolExecutor$Worker)',
  '',
  '"GC task thread#0 (ParallelGC)" os_prio=0 tid=0x00007f4e2401f800 nid=0x5e02 runnable ',
  '',
  'JNI global references: 312',
);

describe('jstack parser', () => {
  describe('HotSpot dumps', () => {
    it('JDK 8: header fields, Thread.State, lock lines on their frame, ownable synchronizers, VM threads', () => {
      const [worker, gc] = parse(JDK8, 2);
      assert.equal(worker!.format, 'jstack');
      assert.equal(worker!.kind, 'thread');
      assert.equal(worker!.title, '"http-nio-8080-exec-7" BLOCKED (on object monitor)');
      assert.equal(worker!.type, null);
      assert.deepEqual(worker!.span, { start: 4, end: 12 });
      assert.deepEqual(worker!.thread, {
        name: 'http-nio-8080-exec-7',
        id: '31',
        state: 'BLOCKED',
        attrs: {
          '#': '31',
          daemon: 'true',
          prio: '5',
          os_prio: '0',
          tid: '0x00007f4e1c01d000',
          nid: '0x6a1b',
          status: 'waiting for monitor entry',
          last_Java_sp: '0x00007f4dd9cf7000',
          'java.lang.Thread.State': 'BLOCKED (on object monitor)',
          'Locked ownable synchronizers':
            '<0x00000000c31f4a10> (a java.util.concurrent.ThreadPoolExecutor$Worker)',
        },
      });
      assert.deepEqual(worker!.frames.map(triple), [
        ['com.acme.cache.LocalCache.get', 'LocalCache.java', 88],
        ['com.acme.web.OrderController.show', 'OrderController.java', 41],
        ['java.lang.Thread.run', 'Thread.java', 745],
      ]);
      assert.deepEqual(worker!.frames[0]!.locks, [
        { action: 'waiting to lock', address: '0x00000000c3a1b2c8', className: 'java.util.LinkedHashMap' },
      ]);
      assert.equal(worker!.frames[1]!.locks, undefined);
      assert.equal(gc!.title, '"GC task thread#0 (ParallelGC)" runnable');
      assert.deepEqual(gc!.thread, {
        name: 'GC task thread#0 (ParallelGC)',
        id: null,
        state: null,
        attrs: { os_prio: '0', tid: '0x00007f4e2401f800', nid: '0x5e02', status: 'runnable' },
      });
      assert.deepEqual(gc!.span, { start: 14, end: 14 });
    });

    it('JDK 6: no #N or os_prio, a [sp..limit] range, eliminated / re-lock / no object reference', () => {
      const [http, main, vm] = parse(
        lines(
          'Full thread dump Java HotSpot(TM) 64-Bit Server VM (20.1-b02 mixed mode):',
          '',
          '"http-8080-1" daemon prio=10 tid=0x00007f1c3c0e9800 nid=0x1a2b waiting for monitor entry [0x00007f1c2b5f4000..0x00007f1c2b5f5a90]',
          '   java.lang.Thread.State: BLOCKED (on object monitor)',
          '\tat com.acme.Cache.get(Cache.java:42)',
          '\t- waiting to lock <0x00000000e1a2b3c4> (a java.util.HashMap)',
          '\tat com.acme.web.Handler.handle(Handler.java:17)',
          '\t- eliminated <owner is scalar replaced> (a java.lang.Object)',
          '\tat java.lang.Thread.run(Thread.java:662)',
          '',
          '"main" prio=10 tid=0x0000000040112000 nid=0x3e2f in Object.wait() [0x00007f1c47ffe000]',
          '   java.lang.Thread.State: WAITING (on object monitor)',
          '\tat java.lang.Object.wait(Native Method)',
          '\t- waiting on <no object reference available>',
          '\tat java.lang.Object.wait(Object.java:485)',
          '\t- waiting to re-lock in wait() <0x00000000e0b1e1f8> (a java.lang.Object)',
          '\tat com.acme.Main.main(Main.java:9)',
          '',
          '"VM Thread" prio=10 tid=0x00007f1c3c06a000 nid=0x3e35 runnable',
          '',
          'JNI global references: 1088',
          '',
          'Heap',
          ' PSYoungGen      total 76480K, used 3936K [0x00000000fab00000, 0x0000000100000000, 0x0000000100000000)',
        ),
        3,
      );
      assert.equal(http!.thread!.id, null);
      assert.equal(http!.thread!.attrs!.last_Java_sp, '0x00007f1c2b5f4000..0x00007f1c2b5f5a90');
      assert.deepEqual(http!.frames[1]!.locks, [
        { action: 'eliminated', address: null, className: 'java.lang.Object' },
      ]);
      assert.equal(main!.thread!.state, 'WAITING');
      assert.deepEqual(main!.frames[0]!.locks, [{ action: 'waiting on', address: null, className: null }]);
      assert.deepEqual(main!.frames[1]!.locks, [
        { action: 'waiting to re-lock', address: '0x00000000e0b1e1f8', className: 'java.lang.Object' },
      ]);
      assert.deepEqual(vm!.span, { start: 19, end: 19 });
    });

    it('jcmd Thread.print (JDK 21): pid line, SMR info, virtual-thread carrier and compiler notes', () => {
      const [carrier, compiler] = parse(
        lines(
          '48213:',
          '2024-02-01 09:15:02',
          'Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-LTS mixed mode, sharing):',
          '',
          'Threads class SMR info:',
          '_java_thread_list=0x00007f3a6c0022f0, length=2, elements={',
          '0x00007f3a9c02a800, 0x00007f3a9c1b6000',
          '}',
          '',
          '"ForkJoinPool-1-worker-1" #23 [48240] daemon prio=5 os_prio=0 cpu=12.50ms elapsed=3.21s tid=0x00007f3a9c1b6000 nid=48240 waiting on condition  [0x00007f3a4e1fe000]',
          '   java.lang.Thread.State: WAITING (parking)',
          '   Carrying virtual thread #22',
          '\tat jdk.internal.vm.Continuation.run(java.base@21.0.2/Continuation.java:248)',
          '\tat java.lang.VirtualThread.runContinuation(java.base@21.0.2/VirtualThread.java:223)',
          '',
          '"C2 CompilerThread0" #8 [48221] daemon prio=9 os_prio=0 cpu=210.32ms elapsed=3.40s tid=0x00007f3a9c02a800 nid=48221 waiting on condition  [0x0000000000000000]',
          '   java.lang.Thread.State: RUNNABLE',
          '   Compiling: 1234   4       java.lang.String::hashCode (60 bytes)',
          '',
          'JNI global refs: 15, weak refs: 0',
        ),
        2,
      );
      assert.deepEqual(carrier!.thread!.id, '23');
      assert.equal(carrier!.thread!.attrs!.os_thread_id, '48240');
      assert.deepEqual(carrier!.span, { start: 10, end: 14 });
      assert.deepEqual(triple(carrier!.frames[0]), [
        'jdk.internal.vm.Continuation.run',
        'Continuation.java',
        248,
      ]);
      assert.equal(carrier!.frames[0]!.module, 'java.base');
      assert.deepEqual(compiler!.span, { start: 16, end: 18 });
      assert.equal(compiler!.frames.length, 0);
    });

    it('jstack -F (JDK 6–8): `Thread N: (state = …)` and `- method(types) @bci=…, line=…` frames', () => {
      const [finalizer, main] = parse(
        lines(
          'Attaching to process ID 7908, please wait...',
          'Debugger attached successfully.',
          'Server compiler detected.',
          'JVM version is 25.181-b13',
          'Deadlock Detection:',
          '',
          'No deadlocks found.',
          '',
          'Thread 7943: (state = BLOCKED)',
          ' - java.lang.Object.wait(long) @bci=0 (Interpreted frame)',
          ' - java.lang.ref.ReferenceQueue.remove(long) @bci=59, line=143 (Compiled frame)',
          ' - java.lang.ref.Finalizer$FinalizerThread.run() @bci=36, line=209 (Interpreted frame)',
          '',
          '',
          'Thread 7909: (state = BLOCKED)',
          ' - java.lang.Thread.sleep(long) @bci=0 (Interpreted frame)',
          ' - com.acme.Main.main(java.lang.String[]) @bci=9, line=12 (Interpreted frame)',
        ),
        2,
      );
      assert.equal(finalizer!.title, 'Thread 7943: (state = BLOCKED)');
      assert.deepEqual(finalizer!.thread, { name: null, id: '7943', state: 'BLOCKED' });
      assert.deepEqual(finalizer!.frames.map(triple), [
        ['java.lang.Object.wait', null, null],
        ['java.lang.ref.ReferenceQueue.remove', null, 143],
        ['java.lang.ref.Finalizer$FinalizerThread.run', null, 209],
      ]);
      assert.equal(finalizer!.frames[1]!.args, 'long');
      assert.deepEqual(finalizer!.frames[1]!.notes, ['bci=59', 'Compiled frame']);
      assert.deepEqual(main!.span, { start: 15, end: 17 });
      assert.equal(main!.frames[1]!.args, 'java.lang.String[]');
    });

    it('jhsdb jstack (JDK 9+): HotSpot header, `JavaThread state:` note, -F style frames', () => {
      const [t] = parse(
        lines(
          '"main" #1 prio=5 tid=0x00007f8a4c011000 nid=0x2b03 waiting on condition [0x00007f8a5370a000]',
          '   java.lang.Thread.State: TIMED_WAITING (sleeping)',
          '   JavaThread state: _thread_blocked',
          ' - java.lang.Thread.sleep(long) @bci=0 (Interpreted frame)',
          ' - Sleeper.main(java.lang.String[]) @bci=3, line=3 (Interpreted frame)',
        ),
        1,
      );
      assert.equal(t!.thread!.state, 'TIMED_WAITING');
      assert.deepEqual(t!.frames.map(triple), [
        ['java.lang.Thread.sleep', null, null],
        ['Sleeper.main', null, 3],
      ]);
    });
  });

  describe('other JVM dump layouts', () => {
    it('ThreadInfo.toString: state in the header, `-  locked Class@hash`, `...`, locked synchronizers', () => {
      const [main, worker] = parse(
        lines(
          '2023-04-01 10:00:00,123 INFO  [watchdog] Thread dump follows',
          '"main" Id=1 WAITING on java.util.concurrent.CountDownLatch$Sync@1b6d3586',
          '\tat sun.misc.Unsafe.park(Native Method)',
          '\t-  waiting on java.util.concurrent.CountDownLatch$Sync@1b6d3586',
          '\tat java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)',
          '\tat com.acme.App.main(App.java:30)',
          '\t...',
          '',
          '\tNumber of locked synchronizers = 1',
          '\t- java.util.concurrent.locks.ReentrantLock$NonfairSync@4554617c',
          '',
          '"worker-1" daemon prio=5 Id=12 BLOCKED on java.lang.Object@74a14482 owned by "worker-2" Id=13',
          '\tat com.acme.Worker.run(Worker.java:20)',
          '\t-  blocked on java.lang.Object@74a14482',
          '\t-  locked java.lang.Object@1540e19d',
          '\tat java.lang.Thread.run(Thread.java:748)',
          '',
          '2023-04-01 10:00:00,130 INFO  [watchdog] done',
        ),
        2,
      );
      assert.deepEqual(main!.span, { start: 2, end: 10 });
      assert.equal(main!.thread!.id, '1');
      assert.equal(main!.thread!.state, 'WAITING');
      assert.deepEqual(main!.frames[0]!.locks, [
        { action: 'waiting on', address: '1b6d3586', className: 'java.util.concurrent.CountDownLatch$Sync' },
      ]);
      assert.equal(
        main!.thread!.attrs!['Locked ownable synchronizers'],
        'java.util.concurrent.locks.ReentrantLock$NonfairSync@4554617c',
      );
      assert.equal(
        worker!.title,
        '"worker-1" BLOCKED on java.lang.Object@74a14482 owned by "worker-2" Id=13',
      );
      assert.equal(worker!.thread!.id, '12');
      assert.equal(worker!.thread!.state, 'BLOCKED');
      assert.deepEqual(
        worker!.frames[0]!.locks!.map((l) => l.action),
        ['blocked on', 'locked'],
      );
      assert.deepEqual(worker!.span, { start: 12, end: 16 });
    });

    it('VisualVM / Spring Boot actuator: `"name" - Thread t@32`', () => {
      const [t] = parse(
        lines(
          '"http-nio-8080-exec-1" - Thread t@32',
          '   java.lang.Thread.State: WAITING',
          '\tat sun.misc.Unsafe.park(Native Method)',
          '\t- parking to wait for <4b1a2c3d> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)',
          '\tat java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)',
          '',
          '   Locked ownable synchronizers:',
          '\t- None',
        ),
        1,
      );
      assert.deepEqual(t!.thread, {
        name: 'http-nio-8080-exec-1',
        id: '32',
        state: 'WAITING',
        attrs: { 't@': '32', 'java.lang.Thread.State': 'WAITING', 'Locked ownable synchronizers': 'None' },
      });
      assert.equal(t!.frames[0]!.locks![0]!.address, '4b1a2c3d');
      assert.deepEqual(t!.span, { start: 1, end: 8 });
    });

    it('Android ART (ANR traces): `| key=value` lines, held-by locks, native frames, unattached threads', () => {
      const [main, catcher, binder] = parse(
        lines(
          '----- pid 12345 at 2021-03-04 10:11:12 -----',
          'Cmd line: com.example.app',
          '',
          'DALVIK THREADS (3):',
          '"main" prio=5 tid=1 Blocked',
          '  | group="main" sCount=1 ucsCount=0 flags=1 obj=0x71f8d1d8 self=0xb400007c3a2107b0',
          '  | sysTid=12345 nice=-10 cgrp=top-app sched=0/0 handle=0x7d6f5644f8',
          '  | state=S schedstat=( 1216838449 252806766 1494 ) utm=92 stm=29 core=6 HZ=100',
          '  | stack=0x7fd5d9c000-0x7fd5d9e000 stackSize=8188KB',
          '  | held mutexes=',
          '  at com.example.app.Repo.load(Repo.kt:42)',
          '  - waiting to lock <0x02cd6b9e> (a java.lang.Object) held by thread 23',
          '  at com.example.app.MainActivity.onCreate(MainActivity.kt:18)',
          '  at android.os.MessageQueue.nativePollOnce(Native method)',
          '',
          '"Signal Catcher" daemon prio=10 tid=6 Runnable',
          '  | group="system" sCount=0 ucsCount=0 flags=0 obj=0x12c40228 self=0xb400007c3a2cd010',
          '  | held mutexes= "mutator lock"(shared held)',
          '  native: #00 pc 00000000004a51c4  /apex/com.android.art/lib64/libart.so (art::DumpNativeStack(std::__1::basic_ostream<char, std::__1::char_traits<char> >&, int, BacktraceMap*, char const*, art::ArtMethod*, void*, bool)+140) (BuildId: 1a2b3c)',
          '  native: #01 pc 000000000056a2b8  /apex/com.android.art/lib64/libart.so (offset 0x2000) (art::Thread::DumpStack(std::__1::basic_ostream<char, std::__1::char_traits<char> >&, bool, BacktraceMap*, bool) const+368)',
          '  (no managed stack frames)',
          '',
          '"binder:12345_1" prio=5 (not attached)',
          '  | sysTid=12360 nice=0 cgrp=top-app',
          '  kernel: binder_thread_read+0x3a4/0x10f0',
          '  native: #00 pc 00000000000d1a28  /apex/com.android.runtime/lib64/bionic/libc.so (__ioctl+8)',
          '',
          '----- end 12345 -----',
        ),
        3,
      );
      assert.equal(main!.title, '"main" Blocked');
      assert.equal(main!.thread!.id, '1');
      assert.equal(main!.thread!.state, 'Blocked');
      assert.equal(main!.thread!.attrs!.sysTid, '12345');
      assert.equal(main!.thread!.attrs!.schedstat, '( 1216838449 252806766 1494 )');
      assert.deepEqual(main!.span, { start: 5, end: 14 });
      assert.deepEqual(main!.frames[0]!.locks, [
        { action: 'waiting to lock', address: '0x02cd6b9e', className: 'java.lang.Object' },
      ]);
      assert.deepEqual(main!.frames[2]!.notes, ['native']);
      assert.equal(catcher!.thread!.attrs!['held mutexes'], '"mutator lock"(shared held)');
      assert.equal(
        catcher!.frames[0]!.function,
        'art::DumpNativeStack(std::__1::basic_ostream<char, std::__1::char_traits<char> >&, int, BacktraceMap*, char const*, art::ArtMethod*, void*, bool)',
      );
      assert.equal(catcher!.frames[0]!.offset, '+140');
      assert.deepEqual(catcher!.frames[0]!.notes, ['native', 'BuildId: 1a2b3c']);
      assert.deepEqual(catcher!.frames[1]!.notes, ['native', 'offset 0x2000']);
      assert.deepEqual(catcher!.span, { start: 16, end: 21 });
      assert.equal(binder!.thread!.state, null);
      assert.equal(binder!.thread!.attrs!.status, '(not attached)');
      assert.deepEqual(triple(binder!.frames[0]), ['__ioctl', null, null]);
      assert.equal(binder!.frames[0]!.module, '/apex/com.android.runtime/lib64/bionic/libc.so');
    });

    it('kotlinx.coroutines dump: coroutine headers, the _COROUTINE._CREATION._ marker', () => {
      const [named, anonymous] = parse(
        lines(
          'Coroutines dump 2021/11/25 12:00:00',
          '',
          'Coroutine "coroutine#2":DeferredCoroutine{Active}@289d1c02, state: SUSPENDED',
          '\tat kotlinx.coroutines.DeferredCoroutine.await$suspendImpl(Builders.common.kt:99)',
          '\tat ExampleKt.combineResults(Example.kt:11)',
          '\tat _COROUTINE._CREATION._(CoroutineDebugging.kt)',
          '\tat kotlin.coroutines.intrinsics.IntrinsicsKt__IntrinsicsJvmKt.createCoroutineUnintercepted(IntrinsicsJvm.kt:116)',
          '\tat kotlinx.coroutines.BuildersKt.async(Unknown Source)',
          '',
          'Coroutine StandaloneCoroutine{Active}@3c0ecd4b, state: RUNNING',
          '\tat java.lang.Thread.sleep(Native Method)',
          '\tat ExampleKt$main$1.invokeSuspend(Example.kt:20)',
        ),
        2,
      );
      assert.equal(named!.format, 'jstack');
      assert.equal(
        named!.title,
        'Coroutine "coroutine#2":DeferredCoroutine{Active}@289d1c02, state: SUSPENDED',
      );
      assert.deepEqual(named!.thread, {
        name: 'coroutine#2',
        id: null,
        state: 'SUSPENDED',
        attrs: { job: 'DeferredCoroutine{Active}@289d1c02' },
      });
      assert.equal(named!.frames.length, 4);
      assert.deepEqual(named!.frames[2]!.notes, ['coroutine creation']);
      assert.equal(named!.frames[3]!.notes?.includes('coroutine creation'), false);
      assert.equal(anonymous!.thread!.name, null);
      assert.equal(anonymous!.thread!.state, 'RUNNING');
      assert.deepEqual(anonymous!.span, { start: 10, end: 12 });
    });
  });

  describe('deadlock reports', () => {
    it('two reports (ownable synchronizers, monitors) and `Found 2 deadlocks.`', () => {
      const [first, second] = parse(
        lines(
          'Found one Java-level deadlock:',
          '=============================',
          '"Thread-0":',
          '  waiting for ownable synchronizer 0x000000076ab62208, (a java.util.concurrent.locks.ReentrantLock$NonfairSync),',
          '  which is held by "Thread-1"',
          '"Thread-1":',
          '  waiting for ownable synchronizer 0x000000076ab62238, (a java.util.concurrent.locks.ReentrantLock$NonfairSync),',
          '  which is held by "Thread-0"',
          '',
          'Java stack information for the threads listed above:',
          '===================================================',
          '"Thread-0":',
          '\tat sun.misc.Unsafe.park(Native Method)',
          '\t- parking to wait for  <0x000000076ab62208> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)',
          '\tat com.acme.Dead.a(Dead.java:10)',
          '"Thread-1":',
          '\tat sun.misc.Unsafe.park(Native Method)',
          '\t- parking to wait for  <0x000000076ab62238> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)',
          '\tat com.acme.Dead.b(Dead.java:20)',
          '',
          'Found one Java-level deadlock:',
          '=============================',
          '"Thread-3":',
          '  waiting to lock monitor 0x00007f0c8c0062c8 (object 0x000000076ab65678, a java.lang.Object),',
          '  which is held by "Thread-2"',
          '"Thread-2":',
          '  waiting to lock monitor 0x00007f0c8c004e28 (object 0x000000076ab65688, a java.lang.Object),',
          '  which is held by "Thread-3"',
          '',
          'Java stack information for the threads listed above:',
          '===================================================',
          '"Thread-3":',
          '\tat com.acme.Dead.c(Dead.java:30)',
          '\t- waiting to lock <0x000000076ab65678> (a java.lang.Object)',
          '"Thread-2":',
          '\tat com.acme.Dead.d(Dead.java:40)',
          '\t- waiting to lock <0x000000076ab65688> (a java.lang.Object)',
          '',
          'Found 2 deadlocks.',
          '',
        ),
        2,
      );
      assert.equal(first!.format, 'jstack');
      assert.equal(first!.kind, 'thread');
      assert.equal(first!.title, 'Found one Java-level deadlock: "Thread-0", "Thread-1"');
      assert.deepEqual(first!.span, { start: 1, end: 19 });
      assert.equal(first!.frames.length, 0);
      assert.deepEqual(
        first!.related!.map((r) => [r.title, r.role, r.relation, r.frames.length]),
        [
          ['"Thread-0"', 'deadlock', 'related', 2],
          ['"Thread-1"', 'deadlock', 'related', 2],
        ],
      );
      assert.deepEqual(first!.related![0]!.frames[0]!.locks, [
        {
          action: 'parking to wait for',
          address: '0x000000076ab62208',
          className: 'java.util.concurrent.locks.ReentrantLock$NonfairSync',
        },
      ]);
      assert.equal(
        first!.related![1]!.message,
        'waiting for ownable synchronizer 0x000000076ab62238, (a java.util.concurrent.locks.ReentrantLock$NonfairSync),\nwhich is held by "Thread-0"',
      );
      assert.deepEqual(second!.span, { start: 21, end: 39 });
      assert.deepEqual(triple(second!.related![1]!.frames[0]), ['com.acme.Dead.d', 'Dead.java', 40]);
    });

    it('a dump cut to its stack section: each `"name":` with frames is a thread', () => {
      const traces = parse(
        lines(
          'Java stack information for the threads listed above:',
          '===================================================',
          '"Thread-1":',
          '\tat com.acme.Dead.b(Dead.java:20)',
        ),
        1,
      );
      assert.equal(traces[0]!.related![0]!.title, '"Thread-1"');
      const [alone] = parse(lines('"Thread-1":', '\tat com.acme.Dead.b(Dead.java:20)'), 1);
      assert.equal(alone!.kind, 'thread');
      assert.equal(alone!.thread!.name, 'Thread-1');
      assert.equal(alone!.frames.length, 1);
    });
  });

  describe('in real documents', () => {
    it('a kill -3 dump in an application log, next to a Java exception: each goes to its parser', () => {
      const traces = parse(
        lines(
          '2024-05-01 10:00:00,001 INFO  [main] c.a.App - started',
          '2024-05-01 10:00:05,100 ERROR [pool-1-thread-1] c.a.Job - job failed',
          'java.lang.IllegalStateException: queue closed',
          '\tat com.acme.Queue.put(Queue.java:55)',
          '\tat com.acme.Job.run(Job.java:12)',
          '2024-05-01 10:00:06,000 INFO  [main] c.a.App - dumping threads',
          'Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode):',
          '',
          '"pool-1-thread-1" #14 prio=5 os_prio=0 cpu=3.10ms elapsed=6.02s tid=0x00007f00c8123000 nid=0x1f03 waiting on condition  [0x00007f008fefd000]',
          '   java.lang.Thread.State: WAITING (parking)',
          '\tat jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)',
          '\tat com.acme.Queue.take(Queue.java:70)',
          '',
          '2024-05-01 10:00:06,010 INFO  [main] c.a.App - "quoted" prio=high is not a thread',
          '2024-05-01 10:00:06,011 INFO  [main] c.a.App - bye',
        ),
        2,
      );
      const [exception, thread] = traces;
      assert.equal(exception!.format, 'java');
      assert.equal(exception!.title, 'java.lang.IllegalStateException: queue closed');
      assert.deepEqual(exception!.span, { start: 3, end: 5 });
      assert.equal(thread!.format, 'jstack');
      assert.deepEqual(thread!.span, { start: 9, end: 12 });
      assert.deepEqual(thread!.frames.map(triple), [
        ['jdk.internal.misc.Unsafe.park', null, null],
        ['com.acme.Queue.take', 'Queue.java', 70],
      ]);
    });

    it('every line prefixed by the log (Kubernetes CRI)', () => {
      const text = JDK8.split('\n')
        .map((l, i) => `2024-03-01T10:00:0${i % 10}.123456789Z stdout F ${l}`)
        .join('\n');
      const [worker, gc] = parse(text, 2);
      assert.equal(worker!.thread!.state, 'BLOCKED');
      assert.equal(worker!.frames.length, 3);
      assert.equal(worker!.frames[0]!.locks!.length, 1);
      assert.equal(gc!.thread!.name, 'GC task thread#0 (ParallelGC)');
    });

    it('CRLF line ends', () => {
      const [worker, gc] = parse(JDK8.replace(/\n/g, '\r\n'), 2);
      assert.deepEqual(worker!.span, { start: 4, end: 12 });
      assert.equal(worker!.frames.length, 3);
      assert.equal(gc!.thread!.attrs!.nid, '0x5e02');
    });

    it('truncated input: a frame cut mid-line is dropped, the thread keeps the frames before it', () => {
      const cut = JDK8.split('\n').slice(0, 8).join('\n') + '\n\tat com.acme.web.OrderContro';
      const [worker] = parse(cut, 1);
      assert.equal(worker!.frames.length, 2);
      assert.deepEqual(worker!.span, { start: 4, end: 8 });
      // Cut inside the header: the fields that are there are still read.
      const [head] = parse('"main" #1 prio=5 os_prio=0 tid=0x00007f4e1c01d000 nid=0x6a', 1);
      assert.equal(head!.thread!.id, '1');
      assert.equal(head!.thread!.attrs!.nid, '0x6a');
    });

    it('re-indented input (a Markdown list item)', () => {
      const text = JDK8.split('\n')
        .map((l) => (l ? `    ${l}` : l))
        .join('\n');
      const [worker, gc] = parse(text, 2);
      assert.equal(worker!.thread!.id, '31');
      assert.equal(worker!.frames.length, 3);
      assert.equal(worker!.frames[0]!.locks!.length, 1);
      assert.equal(gc!.frames.length, 0);
    });
  });

  describe('pieces', () => {
    it('the trigger fires on headers and reports, not on quoted text', () => {
      const yes = [
        '"main" #1 prio=5 os_prio=0 tid=0x1 nid=0x2 runnable',
        '"VM Thread" os_prio=0 tid=0x1 nid=0x2 runnable',
        '"main" prio=5 tid=1 Native',
        '"main" Id=1 RUNNABLE',
        '"x" - Thread t@3',
        '"Thread-1":',
        'Thread 7943: (state = BLOCKED)',
        'Coroutine "coroutine#1":BlockingCoroutine{Active}@1, state: RUNNING',
        'Found one Java-level deadlock:',
      ];
      for (const l of yes) assert.ok(parserTriggered(jstackParser, l), l);
      const no = ['"hello" world', '"key": 1,', 'Thread 12 started', 'at a.B.c(B.java:1)', '  "name": "x"'];
      for (const l of no) assert.ok(!parserTriggered(jstackParser, l), l);
      assert.equal(parseThreadHeader('"hello" daemon went home'), null);
    });

    it('lock lines as each runtime writes them', () => {
      assert.deepEqual(parseLockLine('\t- locked <0x0000000740cfd3f0> (a com.acme.Resource)'), {
        action: 'locked',
        address: '0x0000000740cfd3f0',
        className: 'com.acme.Resource',
      });
      assert.deepEqual(parseLockLine('  - sleeping on <0x0b1c2d3e> (a java.lang.Object)'), {
        action: 'sleeping on',
        address: '0x0b1c2d3e',
        className: 'java.lang.Object',
      });
      assert.equal(parseLockLine('\t- None'), null);
    });

    it('an ART native frame without a symbol', () => {
      const f = parseArtNativeFrame(
        '  native: #03 pc 0000000000a1b2c3  /data/app/base.apk (offset 0x1000)',
        7,
      )!;
      assert.equal(f.function, null);
      assert.equal(f.module, '/data/app/base.apk');
      assert.deepEqual(f.notes, ['native', 'offset 0x1000']);
    });
  });
});
