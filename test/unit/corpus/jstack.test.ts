// Java thread dumps from the corpus, as a reader lists their threads: one trace per thread (frameless VM
// threads included), lock lines on the frame they follow, and the deadlock report as one more trace.
//
// Decisions, as the parser documents them:
// - thread.id is the VM's number for the thread: HotSpot's `#N` (null for VM threads, which have none);
//   `tid`, `nid` and the JDK 19+ `[os id]` are in thread.attrs (`tid`, `nid`, `os_thread_id`).
// - thread.state is the `java.lang.Thread.State:` word (`BLOCKED`); VM threads print none, so it is null
//   and the header's own words (`runnable`) are in attrs.status.
// - `Found one Java-level deadlock:` is ONE trace (kind `thread`, no frames of its own): the cycle is its
//   message, and each thread of "Java stack information for the threads listed above" is a related stack
//   (role `deadlock`, titled by the thread's name) with the lock lines on its frames. The same threads'
//   own traces earlier in the dump are not repeated.

import * as assert from 'node:assert/strict';
import { expectTraces, parseCorpus, type TraceExpect } from './harness';

/** A thread without frames (VM and compiler threads, idle JDK threads). */
function idle(name: string, id: string | null, span: [number, number], state: string | null): TraceExpect {
  return { format: 'jstack', kind: 'thread', thread: { name, id, state }, span, frames: 0 };
}

/** VM-internal threads: no `#N`, no Thread.State, one header line. */
function vm(name: string, line: number): TraceExpect {
  return idle(name, null, [line, line], null);
}

describe('corpus: java-thread-dump', () => {
  it('01 jstack 8 from a Windows console: padded lines, monitors, VM threads, deadlock report', () => {
    const gc = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => vm(`GC task thread#${n} (ParallelGC)`, 63 + 2 * n));
    expectTraces('java-thread-dump/01-jstack-deadlock-padded.txt', [
      idle('DestroyJavaVM', '13', [5, 6], 'RUNNABLE'),
      {
        format: 'jstack',
        kind: 'thread',
        title: '"Thread-1" BLOCKED (on object monitor)',
        thread: { name: 'Thread-1', id: '12', state: 'BLOCKED' },
        span: [8, 13],
        frames: 2,
        first: ['com.qinchy.deadlock.EasyJstackResource.read', 'EasyJstackResource.java', 19],
        last: ['com.qinchy.deadlock.EasyJstack.run', 'EasyJstack.java', 25],
        at: {
          0: {
            locks: [
              {
                action: 'waiting to lock',
                address: '0x0000000740cfd400',
                className: 'com.qinchy.deadlock.Resource',
              },
              { action: 'locked', address: '0x0000000740cfd3f0', className: 'com.qinchy.deadlock.Resource' },
            ],
          },
          1: { locks: undefined },
        },
      },
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Thread-0', id: '11', state: 'BLOCKED' },
        span: [15, 20],
        frames: 2,
        first: ['com.qinchy.deadlock.EasyJstackResource.write', 'EasyJstackResource.java', 29],
        last: ['com.qinchy.deadlock.EasyJstack.run', 'EasyJstack.java', 26],
      },
      idle('Service Thread', '10', [22, 23], 'RUNNABLE'),
      idle('C1 CompilerThread3', '9', [25, 26], 'RUNNABLE'),
      idle('C2 CompilerThread2', '8', [28, 29], 'RUNNABLE'),
      idle('C2 CompilerThread1', '7', [31, 32], 'RUNNABLE'),
      idle('C2 CompilerThread0', '6', [34, 35], 'RUNNABLE'),
      idle('Attach Listener', '5', [37, 38], 'RUNNABLE'),
      idle('Signal Dispatcher', '4', [40, 41], 'RUNNABLE'),
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Finalizer', id: '3', state: 'WAITING' },
        span: [43, 50],
        frames: 4,
        first: ['java.lang.Object.wait', null, null],
        last: ['java.lang.ref.Finalizer$FinalizerThread.run', 'Finalizer.java', 216],
        at: {
          0: {
            notes: ['native'],
            locks: [
              {
                action: 'waiting on',
                address: '0x0000000740c08ed0',
                className: 'java.lang.ref.ReferenceQueue$Lock',
              },
            ],
          },
          1: {
            line: 144,
            locks: [
              {
                action: 'locked',
                address: '0x0000000740c08ed0',
                className: 'java.lang.ref.ReferenceQueue$Lock',
              },
            ],
          },
        },
      },
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Reference Handler', id: '2', state: 'WAITING' },
        span: [52, 59],
        frames: 4,
        first: ['java.lang.Object.wait', null, null],
        last: ['java.lang.ref.Reference$ReferenceHandler.run', 'Reference.java', 153],
        at: { 2: { function: 'java.lang.ref.Reference.tryHandlePending', docLine: 57 } },
      },
      vm('VM Thread', 61),
      ...gc,
      vm('VM Periodic Task Thread', 79),
      {
        format: 'jstack',
        kind: 'thread',
        title: 'Found one Java-level deadlock: "Thread-1", "Thread-0"',
        message:
          '"Thread-1": waiting to lock monitor 0x0000000021930c38 (object 0x0000000740cfd400, a com.qinchy.deadlock.Resource), which is held by "Thread-0"\n' +
          '"Thread-0": waiting to lock monitor 0x0000000021932188 (object 0x0000000740cfd3f0, a com.qinchy.deadlock.Resource), which is held by "Thread-1"',
        span: [84, 106],
        frames: 0,
        related: [
          {
            title: '"Thread-1"',
            role: 'deadlock',
            relation: 'related',
            message:
              'waiting to lock monitor 0x0000000021930c38 (object 0x0000000740cfd400, a com.qinchy.deadlock.Resource),\nwhich is held by "Thread-0"',
            span: [95, 99],
            frames: 2,
            first: ['com.qinchy.deadlock.EasyJstackResource.read', 'EasyJstackResource.java', 19],
            last: ['com.qinchy.deadlock.EasyJstack.run', 'EasyJstack.java', 25],
            at: {
              0: {
                locks: [
                  {
                    action: 'waiting to lock',
                    address: '0x0000000740cfd400',
                    className: 'com.qinchy.deadlock.Resource',
                  },
                  {
                    action: 'locked',
                    address: '0x0000000740cfd3f0',
                    className: 'com.qinchy.deadlock.Resource',
                  },
                ],
              },
            },
          },
          {
            title: '"Thread-0"',
            role: 'deadlock',
            span: [100, 104],
            frames: 2,
            first: ['com.qinchy.deadlock.EasyJstackResource.write', 'EasyJstackResource.java', 29],
            last: ['com.qinchy.deadlock.EasyJstack.run', 'EasyJstack.java', 26],
          },
        ],
      },
    ]);
  });

  it('01: header fields go to thread.attrs as written', () => {
    const [destroy, , , service] = parseCorpus('java-thread-dump/01-jstack-deadlock-padded.txt');
    assert.deepEqual(destroy!.thread!.attrs, {
      '#': '13',
      prio: '5',
      os_prio: '0',
      tid: '0x0000000003343000',
      nid: '0x6fc',
      status: 'waiting on condition',
      last_Java_sp: '0x0000000000000000',
      'java.lang.Thread.State': 'RUNNABLE',
    });
    assert.equal(service!.thread!.attrs!.daemon, 'true');
    assert.equal(service!.thread!.attrs!.prio, '9');
  });

  it('02 jstack 21 on macOS: SMR info, `#9 [30467]`, cpu/elapsed, module frames, ownable synchronizers', () => {
    const gc = [9, 8, 7, 6, 5, 4, 3, 2, 1].map((n, i) => vm(`GC Thread#${n}`, 122 + 2 * i));
    expectTraces('java-thread-dump/02-jstack-jdk21-macos-smr.txt', [
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Reference Handler', id: '9', state: 'RUNNABLE' },
        span: [11, 18],
        frames: 3,
        first: ['java.lang.ref.Reference.waitForReferencePendingList', null, null],
        last: ['java.lang.ref.Reference$ReferenceHandler.run', 'Reference.java', 208],
        at: { 0: { module: 'java.base', notes: ['native'] }, 1: { module: 'java.base', line: 246 } },
      },
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Finalizer', id: '10', state: 'WAITING' },
        span: [20, 33],
        frames: 7,
        first: ['java.lang.Object.wait0', null, null],
        last: ['java.lang.ref.Finalizer$FinalizerThread.run', 'Finalizer.java', 173],
        at: {
          0: {
            locks: [
              {
                action: 'waiting on',
                address: '0x000000034b3000f0',
                className: 'java.lang.ref.NativeReferenceQueue$Lock',
              },
            ],
          },
          5: {
            function: 'java.lang.ref.NativeReferenceQueue.remove',
            locks: [
              {
                action: 'locked',
                address: '0x000000034b3000f0',
                className: 'java.lang.ref.NativeReferenceQueue$Lock',
              },
            ],
          },
        },
      },
      idle('Signal Dispatcher', '11', [35, 39], 'RUNNABLE'),
      idle('Service Thread', '12', [41, 45], 'RUNNABLE'),
      idle('Monitor Deflation Thread', '13', [47, 51], 'RUNNABLE'),
      idle('C2 CompilerThread0', '14', [53, 58], 'RUNNABLE'),
      idle('C1 CompilerThread0', '17', [60, 65], 'RUNNABLE'),
      idle('Notification Thread', '18', [67, 71], 'RUNNABLE'),
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Common-Cleaner', id: '19', state: 'TIMED_WAITING' },
        span: [73, 88],
        frames: 10,
        first: ['jdk.internal.misc.Unsafe.park', null, null],
        last: ['jdk.internal.misc.InnocuousThread.run', 'InnocuousThread.java', 186],
        at: {
          0: {
            locks: [
              {
                action: 'parking to wait for',
                address: '0x000000034b3001b0',
                className: 'java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject',
              },
            ],
          },
        },
      },
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'JPS event loop', id: '21', state: 'RUNNABLE' },
        span: [90, 108],
        frames: 12,
        first: ['sun.nio.ch.KQueue.poll', null, null],
        last: ['java.lang.Thread.run', 'Thread.java', 1583],
        at: {
          2: {
            function: 'sun.nio.ch.SelectorImpl.lockAndDoSelect',
            locks: [
              { action: 'locked', address: '0x000000034b310400', className: 'sun.nio.ch.Util$2' },
              { action: 'locked', address: '0x000000034b3103a8', className: 'sun.nio.ch.KQueueSelectorImpl' },
            ],
          },
          4: { function: 'io.netty.channel.nio.NioIoHandler.select', module: null, line: 646 },
        },
      },
      idle('DestroyJavaVM', '33', [110, 114], 'RUNNABLE'),
      idle('Attach Listener', '34', [116, 120], 'RUNNABLE'),
      ...gc,
      vm('VM Thread', 140),
      vm('VM Periodic Task Thread', 142),
      vm('G1 Service', 144),
      vm('G1 Refine#0', 146),
      vm('G1 Conc#0', 148),
      vm('G1 Main Marker', 150),
      vm('GC Thread#0', 152),
    ]);
  });

  it('02: the JDK 19+ OS thread id, cpu/elapsed and the ownable synchronizers are attributes', () => {
    const traces = parseCorpus('java-thread-dump/02-jstack-jdk21-macos-smr.txt');
    assert.deepEqual(traces[0]!.thread!.attrs, {
      '#': '9',
      os_thread_id: '30467',
      daemon: 'true',
      prio: '10',
      os_prio: '31',
      cpu: '0.44ms',
      elapsed: '25574.11s',
      tid: '0x000000010328e320',
      nid: '30467',
      status: 'waiting on condition',
      last_Java_sp: '0x000000016e7c2000',
      'java.lang.Thread.State': 'RUNNABLE',
      'Locked ownable synchronizers': 'None',
    });
    const loop = traces[9]!;
    assert.equal(
      loop.thread!.attrs!['Locked ownable synchronizers'],
      '<0x000000034b314548> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)',
    );
    const vmThread = traces[21]!;
    assert.equal(vmThread.title, '"VM Thread" runnable');
    assert.equal(vmThread.thread!.attrs!.cpu, '789.01ms');
  });

  it('03 jstack 11 (TDA resource): 8-space frames, Locked ownable synchronizers, ParGC threads', () => {
    const gc = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => vm(`ParGC Thread#${n}`, 34 + 2 * n));
    expectTraces('java-thread-dump/03-jstack-jdk11-tomcat.txt', [
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'main', id: '1', state: 'RUNNABLE' },
        span: [4, 21],
        frames: 13,
        first: ['java.net.PlainSocketImpl.socketAccept', null, null],
        last: ['org.apache.catalina.startup.Bootstrap.main', 'Bootstrap.java', 493],
        at: {
          0: { module: 'java.base', notes: ['native'] },
          4: { function: 'org.apache.catalina.core.StandardServer.await', module: null, line: 466 },
        },
      },
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Reference Handler', id: '2', state: 'RUNNABLE' },
        span: [23, 30],
        frames: 3,
        first: ['java.lang.ref.Reference.waitForReferencePendingList', null, null],
        last: ['java.lang.ref.Reference$ReferenceHandler.run', 'Reference.java', 213],
      },
      vm('VM Thread', 32),
      ...gc,
      vm('VM Periodic Task Thread', 54),
    ]);
  });

  it('05 JMRI (PARTIAL): last threads, the deadlock report; the stack cut mid-frame keeps what is whole', () => {
    // The excerpt ends inside `at org.GNOME.Accessibi`: no parentheses, so not a frame — dropped, and the
    // report ends at the last whole line. AWT-EventQueue-1's stack was cut away: its entry has no frames.
    expectTraces('java-thread-dump/05-jmri-openjdk-deadlock-section-PARTIAL.txt', [
      {
        format: 'jstack',
        kind: 'thread',
        thread: { name: 'Reference Handler', id: '2', state: 'WAITING' },
        span: [1, 8],
        frames: 4,
        first: ['java.lang.Object.wait', null, null],
        last: ['java.lang.ref.Reference$ReferenceHandler.run', 'Reference.java', 153],
        at: {
          0: {
            locks: [
              { action: 'waiting on', address: '0x88120360', className: 'java.lang.ref.Reference$Lock' },
            ],
          },
          2: {
            locks: [{ action: 'locked', address: '0x88120360', className: 'java.lang.ref.Reference$Lock' }],
          },
        },
      },
      vm('VM Thread', 10),
      vm('VM Periodic Task Thread', 12),
      {
        format: 'jstack',
        kind: 'thread',
        title: 'Found one Java-level deadlock: "Thread-6", "AWT-EventQueue-1"',
        span: [16, 29],
        frames: 0,
        related: [
          {
            title: '"Thread-6"',
            role: 'deadlock',
            message:
              'waiting to lock monitor 0x737cf690 (object 0x89a07020, a jmri.jmrit.beantable.usermessagepreferences.UserMessagePreferencesPane),\nwhich is held by "AWT-EventQueue-1"',
            span: [27, 29],
            frames: 1,
            first: ['java.awt.Component.addComponentListener', 'Component.java', 5227],
            at: {
              0: {
                locks: [
                  {
                    action: 'waiting to lock',
                    address: '0x89a07020',
                    className: 'jmri.jmrit.beantable.usermessagepreferences.UserMessagePreferencesPane',
                  },
                ],
              },
            },
          },
          {
            title: '"AWT-EventQueue-1"',
            role: 'deadlock',
            message:
              'waiting to lock monitor 0x737cf624 (object 0x8814e308, a java.awt.Component$AWTTreeLock),\nwhich is held by "Thread-6"',
            span: [21, 23],
            frames: 0,
          },
        ],
      },
    ]);
  });
});
