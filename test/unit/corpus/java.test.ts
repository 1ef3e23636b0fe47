// Java / Kotlin / Scala exceptions from the corpus, as a reader lists their frames.

import { expectTraces } from './harness';

describe('corpus: java-exception', () => {
  it('01 pulsar: module-qualified frames, Caused by, ... 13 more, Unknown Source', () => {
    expectTraces('java-exception/01-pulsar-flaky-noclassdef.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'java.util.concurrent.ExecutionException',
        span: [1, 40],
        frames: 15,
        first: ['java.util.concurrent.CompletableFuture.reportGet', 'CompletableFuture.java', 396],
        last: ['java.lang.Thread.run', 'Thread.java', 833],
        at: { 0: { module: 'java.base' }, 2: { module: null } },
        causes: [
          {
            type: 'java.lang.NoClassDefFoundError',
            message: 'Could not initialize class org.apache.pulsar.common.protocol.Commands',
            frames: 22,
            first: [
              'org.apache.pulsar.client.impl.BinaryProtoLookupService.lambda$findBroker$2',
              'BinaryProtoLookupService.java',
              117,
            ],
            last: [
              'org.apache.pulsar.client.impl.BinaryProtoLookupService.getBroker',
              'BinaryProtoLookupService.java',
              94,
            ],
            at: {
              7: {
                function:
                  'org.mockito.internal.util.reflection.InstrumentationMemberAccessor$Dispatcher$ByteBuddy$lL0LVkid.invokeWithArguments',
                file: null,
                line: null,
                notes: ['unknown source'],
              },
            },
          },
        ],
      },
    ]);
  });

  it('02 xwiki: logback packaging data and "common frames omitted", three-deep chain', () => {
    expectTraces('java-exception/02-xwiki-logback-packaging-data-common-frames-omitted.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'org.apache.solr.client.solrj.SolrServerException',
        span: [2, 79],
        frames: 55,
        first: [
          'org.apache.solr.client.solrj.embedded.EmbeddedSolrServer.request',
          'EmbeddedSolrServer.java',
          240,
        ],
        last: ['java.lang.Thread.run', 'Thread.java', 745],
        at: { 0: { module: 'solr-core-5.3.1.jar' }, 54: { module: null } },
        causes: [
          {
            type: 'java.lang.RuntimeException',
            frames: 1,
            first: [
              'org.apache.solr.client.solrj.embedded.EmbeddedSolrServer.request',
              'EmbeddedSolrServer.java',
              230,
            ],
            causes: [
              {
                type: 'java.lang.ClassCastException',
                message: 'org.apache.lucene.document.Field cannot be cast to java.lang.String',
                frames: 17,
                first: [
                  'org.xwiki.search.solr.internal.reference.SolrEntityReferenceResolver.getWikiReference',
                  'SolrEntityReferenceResolver.java',
                  93,
                ],
                last: [
                  'org.apache.solr.client.solrj.embedded.EmbeddedSolrServer.request',
                  'EmbeddedSolrServer.java',
                  204,
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('03 elasticsearch: top exception without frames, then Caused by', () => {
    expectTraces('java-exception/03-elasticsearch-log4j2-remote-transport-caused-by.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'org.elasticsearch.transport.RemoteTransportException',
        message: '[AFATqx6][127.0.0.1:9300][indices:data/read/search[phase/fetch/id]]',
        span: [2, 19],
        frames: 0,
        causes: [
          {
            type: 'java.lang.IllegalArgumentException',
            frames: 16,
            first: [
              'org.elasticsearch.index.query.QueryShardContext.failIfFrozen',
              'QueryShardContext.java',
              396,
            ],
            last: ['java.lang.Thread.run', 'Thread.java', 745],
            at: {
              7: {
                function:
                  'org.elasticsearch.action.search.SearchTransportService.lambda$registerRequestHandler$684',
                module: 'elasticsearch-5.0.1-SNAPSHOT.jar',
              },
            },
          },
        ],
      },
    ]);
  });

  it('04 elasticsearch: <init> frames and ... 6 more', () => {
    expectTraces('java-exception/04-elasticsearch-startup-exception-caused-by-more.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'org.elasticsearch.bootstrap.StartupException',
        span: [2, 20],
        frames: 7,
        first: ['org.elasticsearch.bootstrap.Elasticsearch.init', 'Elasticsearch.java', 127],
        last: ['org.elasticsearch.bootstrap.Elasticsearch.main', 'Elasticsearch.java', 84],
        causes: [
          {
            type: 'java.lang.IllegalArgumentException',
            frames: 9,
            first: [
              'org.elasticsearch.common.settings.AbstractScopedSettings.validate',
              'AbstractScopedSettings.java',
              293,
            ],
            last: ['org.elasticsearch.bootstrap.Elasticsearch.init', 'Elasticsearch.java', 123],
            at: { 2: { function: 'org.elasticsearch.common.settings.SettingsModule.<init>', line: 139 } },
          },
        ],
      },
    ]);
  });

  it('05 elasticsearch: blank line between the message and the frames', () => {
    expectTraces('java-exception/05-elasticsearch-blank-line-after-message-netty.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'java.lang.IllegalStateException',
        span: [1, 32],
        frames: 30,
        first: ['org.elasticsearch.script.ScriptType.readFrom', 'ScriptType.java', 79],
        last: ['java.lang.Thread.run', 'Thread.java', 745],
      },
    ]);
  });

  it('06 xwiki: "class " prefixed header with message null, 4-space frames', () => {
    expectTraces('java-exception/06-xwiki-class-prefix-header-4space.txt', [
      {
        format: 'java',
        kind: 'exception',
        title: 'java.lang.NullPointerException: null',
        span: [2, 28],
        frames: 26,
        first: ['com.xpn.xwiki.objects.BaseProperty.equals', 'BaseProperty.java', 96],
        last: ['java.lang.Thread.run', 'Thread.java', 745],
      },
    ]);
  });

  it('07 pulsar: Suppressed block with its own Caused by, and a circular reference', () => {
    expectTraces('java-exception/07-pulsar-suppressed-caused-by-circular-reference.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'org.apache.pulsar.client.admin.PulsarAdminException$ServerSideErrorException',
        span: [1, 82],
        frames: 16,
        first: ['org.apache.pulsar.client.admin.PulsarAdminException.wrap', 'PulsarAdminException.java', 252],
        last: ['java.lang.Thread.run', 'Thread.java', 833],
        suppressed: [
          {
            frames: 58,
            first: [
              'org.apache.pulsar.client.admin.internal.BaseResource.getApiException',
              'BaseResource.java',
              223,
            ],
            last: [
              'io.netty.util.concurrent.FastThreadLocalRunnable.run',
              'FastThreadLocalRunnable.java',
              30,
            ],
            causes: [
              {
                type: 'javax.ws.rs.InternalServerErrorException',
                frames: 2,
                first: [
                  'org.glassfish.jersey.client.JerseyInvocation.convertToException',
                  'JerseyInvocation.java',
                  960,
                ],
                last: [
                  'org.glassfish.jersey.client.JerseyInvocation.access$700',
                  'JerseyInvocation.java',
                  82,
                ],
              },
            ],
          },
        ],
        causes: [
          {
            title: '[CIRCULAR REFERENCE: javax.ws.rs.InternalServerErrorException: HTTP 500 Server Error]',
            type: 'javax.ws.rs.InternalServerErrorException',
            frames: 0,
          },
        ],
      },
    ]);
  });
});
