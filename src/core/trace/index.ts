// The trace core's public surface: the model, parsing of text, bytes and streams, and the JSON contract.

export * from './model';
export { parseText, parseBytes, TraceScanner, type ScanOptions } from './scanner';
export { traceToJson, frameToJson, type TraceJson, type FrameJson, type FrameDecorator } from './json';
export { ByteLineReader, LineSplitter, detectEncoding, decodeBytes, looksBinary } from './decode';
export type { LogicalLine } from './normalize';
export { classifyTrace, isInApp, type ClassifyOptions } from './classify';
export { signatureOf, SIGNATURE_VERSION, type Signature } from './signature';
export { BucketCollector, bucketsToJson, type Bucket, type BucketOptions } from './buckets';
export { frameSpan, placedFrames, crashSite, type ColumnSpan, type PlacedFrame } from './locate';
