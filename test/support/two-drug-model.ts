/**
 * A scripted good model for the two-drug case of the openai-backend tests (options a and b, fact f2 an intolerance
 * that drug B worsens): it proposes both options, the verifier challenges b's decision argument on its side effects
 * and passes everything else, the counter is the side effect. Deliberated, the case decides a, with b defeated by
 * the side-effect argument. The comparer is not scripted: a request for it answers HTTP 500.
 */
import {
  type JsonSchema,
  type MockChatRequest,
  type MockReply,
  promptText,
  requestedSchema,
  roleOf,
  sampleFromSchema,
} from './mock-openai-server.js';

/** The answer of the good model, or undefined for a role it does not play (the comparer). */
export function goodAnswer(request: MockChatRequest): unknown {
  const schema = requestedSchema(request) as JsonSchema;
  const prompt = promptText(request);
  switch (roleOf(request)) {
    case 'generator-propose': {
      const options = schema.properties?.arguments?.items?.properties?.option?.enum ?? [];
      const text = (path: string[]) =>
        path.at(-1) === 'text' ? `Drug ${options[Number(path[1])]} treats condition X` : `${path.join('.')}`;
      return sampleFromSchema(schema, { text });
    }
    case 'verifier': {
      const challengeB = prompt.includes('scheme="ASDM" option="b"');
      const choose = (path: string[], values: unknown[]) =>
        path.at(-1) === 'challenge' ? (challengeB && path[1] === 'side-effects' ? 'yes' : 'no') : values[0];
      const text = () => (challengeB ? 'f2: drug B worsens a known intolerance' : 'nothing against it');
      return sampleFromSchema(schema, { choose, text });
    }
    case 'generator-counter':
      return sampleFromSchema(schema, {
        text: (path) => (path.at(-1) === 'text' ? 'Drug B worsens the intolerance of f2' : path.join('.')),
      });
    default:
      return undefined;
  }
}

/** The good answer as the mock delivers it (HTTP 500 for a role the good model does not play). */
export function goodReply(request: MockChatRequest): MockReply {
  const json = goodAnswer(request);
  return json === undefined ? { status: 500 } : { json };
}
