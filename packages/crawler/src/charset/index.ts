export { decodeBody, type DecodedBody } from './decode.ts';
export { charsetFromContentType, charsetFromDocumentHead } from './declared.ts';
export { normalizeCharsetLabel } from './labels.ts';
/** Correct windows-1252 (Node 20's TextDecoder gets 0x80–0x9F wrong); exported for reference decodes in evals. */
export { decodeWindows1252 } from './windows-1252.ts';
