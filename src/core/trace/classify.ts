// In-app versus library frames: which frames are the customer-facing product's own code and which belong to
// the runtime, the standard library or a dependency. Signatures are built from in-app frames and the editor
// marks the others softer. Each ecosystem has its own tell-tale names and paths; the user's patterns win.

import type { Frame, FormatId, Trace, TraceNode } from './model';

export interface ClassifyOptions {
  /**
   * Frames whose function, module or file starts with one of these (or whose file contains it) are in-app
   * even if the ecosystem rules say library: the product's own packages (`com.acme.`), its vendored code.
   */
  inApp?: readonly string[];
  /** Frames matching one of these are library frames, whatever else they match (a third-party SDK). */
  notInApp?: readonly string[];
}

type Ecosystem =
  'jvm' | 'dotnet' | 'python' | 'js' | 'go' | 'rust' | 'ruby' | 'php' | 'beam' | 'dart' | 'native';

const ECOSYSTEM: Record<FormatId, Ecosystem> = {
  java: 'jvm',
  jstack: 'jvm',
  dotnet: 'dotnet',
  python: 'python',
  node: 'js',
  gecko: 'js',
  go: 'go',
  rust: 'rust',
  ruby: 'ruby',
  php: 'php',
  erlang: 'beam',
  elixir: 'beam',
  dart: 'dart',
  gdb: 'native',
  coredump: 'native',
  lldb: 'native',
  tombstone: 'native',
  cpp: 'native',
  windbg: 'native',
  minidump: 'native',
  sanitizer: 'native',
  valgrind: 'native',
  apple: 'native',
};

const JVM_LIBRARY =
  /^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.codehaus\.groovy|jakarta|android|androidx|com\.android|dalvik|libcore|org\.springframework|org\.apache|org\.hibernate|org\.eclipse|org\.glassfish|org\.jboss|io\.netty|io\.undertow|io\.reactivex|reactor|rx|okhttp3|okio|retrofit2|com\.google|com\.fasterxml|ch\.qos\.logback|org\.slf4j|org\.junit|junit|org\.mockito|net\.bytebuddy|io\.micrometer|io\.grpc|com\.zaxxer|org\.postgresql|com\.mysql|oracle\.jdbc|_COROUTINE|\$Proxy|jdk\.internal)[.$]|^\$Proxy\d|^(?:java|jdk)\.base\//;
const DOTNET_LIBRARY =
  /^(?:System|Microsoft|Mono|MS\.Internal|Newtonsoft|Castle|NUnit|Xunit|Npgsql|Serilog|NLog|log4net|Polly|Grpc|Google\.Protobuf|Dapper|AutoMapper|MediatR|Autofac|StackExchange\.Redis|Swashbuckle|Azure|Amazon|Xamarin|Android|Java|UIKit|Foundation|ObjCRuntime)[.`]|^(?:lambda_method|DynamicClass)/;
const PYTHON_LIBRARY_FILE =
  /(?:^|[\\/])(?:site-packages|dist-packages|\.venv|venv|python\d(?:\.\d+)?[\\/](?!site-packages)|lib[\\/]python\d|Lib[\\/](?!site-packages))|^<frozen |^<(?:string|stdin)>$/;
const JS_LIBRARY_FILE =
  /^(?:node:|internal[\\/]|native|\[native code\]|resource:\/\/gre\/|chrome:\/\/|webpack\/bootstrap|webpack\/runtime)|node_modules[\\/]|^(?:events|timers|net|fs|stream|http|https|_stream_\w+|module|vm)\.js$/;
const GO_LIBRARY_FILE = /[\\/](?:go|golang|go\d[\d.]*)[\\/]src[\\/]|[\\/]pkg[\\/]mod[\\/]|[\\/]vendor[\\/]/;
/** A Go function's package: its import path up to the first `.` after the last `/`. */
const GO_STDLIB_FUNCTION =
  /^(?:runtime|syscall|internal|reflect|sync|net|os|io|fmt|strings|strconv|bufio|bytes|encoding|context|time|sort|errors|crypto|math|path|regexp|unicode|database|log|testing|text|html|mime|hash|compress|archive|container|debug|expvar|flag|go|image|index|plugin|unsafe)[./]/;
const RUST_LIBRARY =
  /^<?(?:std|core|alloc|tokio|futures|futures_util|hyper|tower|actix_rt|actix_web|async_std|rayon|backtrace|panic_unwind|__rust|rust_begin_unwind|rust_panic)(?:::|_|$)|^(?:__libc_start|_start|start_thread|clone)/;
const RUST_LIBRARY_FILE =
  /^\/rustc\/|[\\/]\.cargo[\\/](?:registry|git)[\\/]|[\\/]library[\\/](?:std|core|alloc)[\\/]/;
const RUBY_LIBRARY_FILE =
  /[\\/]gems[\\/]|[\\/]lib[\\/]ruby[\\/]|^<internal:|[\\/]rubygems[\\/]|[\\/]bundler[\\/]/;
const PHP_LIBRARY_FILE = /[\\/]vendor[\\/]|^\[internal function\]$/;
const BEAM_LIBRARY_APP =
  /^\(?(?:elixir|stdlib|kernel|logger|erts|compiler|mix|ex_unit|iex|eex|phoenix|phoenix_live_view|plug|plug_cowboy|cowboy|ranch|ecto|ecto_sql|db_connection|postgrex|telemetry|jason|gen_stage|broadway)[ )]/;
const BEAM_LIBRARY_FUNCTION =
  /^:?(?:gen_server|gen_statem|gen_event|gen|proc_lib|supervisor|application_master|erl_eval|elixir_\w+|lists|maps|timer)[.:]|^(?:Enum|Stream|Kernel|GenServer|Task|Agent|Supervisor|Process|Registry|Plug|Phoenix|Ecto|DBConnection|Postgrex)\./;
const DART_LIBRARY_FILE = /^(?:dart:|package:flutter\/|package:flutter_test\/)/;
const NATIVE_LIBRARY_MODULE =
  /(?:^|[\\/])(?:lib(?:c|m|dl|rt|pthread|stdc\+\+|c\+\+|c\+\+abi|gcc_s|unwind|asan|tsan|ubsan|msan|lsan|clang_rt|art|base|utils|binder|android_runtime|system_\w+|dyld|objc\.A|dispatch|sqlite3|z|ssl|crypto|glib-2\.0|gobject-2\.0|gtk-3|X11|xcb|EGL|GLES\w*)(?:[.-][\w.]{0,40})?|ld-linux[\w.-]{0,40}|ld-[\d.]{1,12}\.so|linux-vdso\.so\.\d|vgpreload_\w+\.so|ntdll|kernel32|KERNELBASE|kernelbase|ucrtbased?|msvcrt|msvcp\d+d?|vcruntime\d+d?|user32|combase|rpcrt4|ole32|win32u|gdi32|CoreFoundation|Foundation|UIKitCore|UIKit|GraphicsServices|libsystem_\w+\.dylib|AppKit|HIToolbox|CFNetwork|QuartzCore|dyld|app_process\d*|boot\.oat|boot-framework\.oat)(?:\.dll|\.exe|\.pdb)?$/;
const NATIVE_LIBRARY_MODULE_DIR =
  /^(?:\/system\/|\/apex\/|\/vendor\/lib|\/lib\/|\/lib64\/|\/usr\/lib|C:\\Windows\\|\/System\/Library\/|\/usr\/lib\/system\/)/i;
const NATIVE_LIBRARY_FUNCTION =
  /^(?:std::|__gnu_cxx::|__cxxabiv1::|__cxa_|__gxx_|__libc_|__GI_|__pthread|pthread_|_start$|start_thread$|__clone|clone3?$|raise$|abort$|__assert_fail|__asan|__tsan|__ubsan|__msan|__lsan|__sanitizer|__interceptor_|__interception|operator (?:new|delete)|malloc$|calloc$|realloc$|free$|_dl_|__restore_rt|_sigtramp|RtlUserThreadStart|BaseThreadInitThunk|KiUserExceptionDispatcher|RtlDispatchException|__RtlUserThreadStart|_pthread_start|thread_start|start_wqthread|_pthread_wqthread|__exceptionPreprocess|objc_exception_throw|objc_msgSend|CFRunLoop|__CFRunLoop|GSEventRunModal|UIApplicationMain|-\[UIApplication |_dispatch_|dispatch_|boost::|testing::internal::)/;

function matchesAny(f: Frame, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (p.length === 0) continue;
    if (
      f.function?.startsWith(p) ||
      f.module?.startsWith(p) ||
      f.file?.startsWith(p) ||
      f.file?.includes(p)
    ) {
      return true;
    }
  }
  return false;
}

function isLibrary(f: Frame, eco: Ecosystem): boolean {
  const fn = f.function ?? '';
  const file = f.file ?? '';
  const mod = f.module ?? '';
  switch (eco) {
    case 'jvm':
      return JVM_LIBRARY.test(fn) || /^(?:java|jdk)\.\w+\//.test(mod);
    case 'dotnet':
      return DOTNET_LIBRARY.test(fn);
    case 'python':
      return PYTHON_LIBRARY_FILE.test(file);
    case 'js':
      return JS_LIBRARY_FILE.test(file) || (file === '' && /^(?:new )?Promise\b|^process\./.test(fn));
    case 'go':
      return GO_LIBRARY_FILE.test(file) || (!fn.startsWith('main.') && GO_STDLIB_FUNCTION.test(fn));
    case 'rust':
      return RUST_LIBRARY.test(fn) || RUST_LIBRARY_FILE.test(file);
    case 'ruby':
      return RUBY_LIBRARY_FILE.test(file);
    case 'php':
      return PHP_LIBRARY_FILE.test(file) || fn === '{main}';
    case 'beam':
      return (
        BEAM_LIBRARY_APP.test(mod) ||
        BEAM_LIBRARY_FUNCTION.test(fn) ||
        /^(?:lib\/elixir|gen_server\.erl|proc_lib\.erl)/.test(file)
      );
    case 'dart':
      return DART_LIBRARY_FILE.test(file);
    case 'native':
      return (
        NATIVE_LIBRARY_FUNCTION.test(fn) ||
        NATIVE_LIBRARY_MODULE.test(mod) ||
        NATIVE_LIBRARY_MODULE_DIR.test(mod) ||
        NATIVE_LIBRARY_MODULE_DIR.test(file) ||
        /^\/usr\/include\/|[\\/]include[\\/]c\+\+[\\/]|[\\/]crt[\\/]src[\\/]|^\/rustc\//.test(file)
      );
  }
}

/** Whether one frame of a trace of `format` is the application's own code. */
export function isInApp(f: Frame, format: FormatId, options: ClassifyOptions = {}): boolean {
  if (options.notInApp && matchesAny(f, options.notInApp)) return false;
  if (options.inApp && matchesAny(f, options.inApp)) return true;
  // A frame that names nothing (`??`, a bare address) is nobody's code we could open.
  if (f.function === null && f.file === null) return false;
  if (f.function === '??' || f.function === '<unknown>')
    return f.file !== null && !isLibrary(f, ECOSYSTEM[format]);
  return !isLibrary(f, ECOSYSTEM[format]);
}

function classifyNode(node: TraceNode, format: FormatId, options: ClassifyOptions): void {
  for (const f of node.frames) f.inApp = isInApp(f, format, options);
  for (const c of node.causes) classifyNode(c, format, options);
  for (const s of node.suppressed) classifyNode(s, format, options);
  for (const r of node.related ?? []) classifyNode(r, format, options);
}

/** Sets `inApp` on every frame of the trace (its chain and related stacks too). */
export function classifyTrace(trace: Trace, options: ClassifyOptions = {}): Trace {
  classifyNode(trace, trace.format, options);
  return trace;
}
